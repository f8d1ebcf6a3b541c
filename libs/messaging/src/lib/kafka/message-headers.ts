import type { Contract } from '@subtasks/contracts';

/**
 * Extra Kafka headers for one outgoing message (e.g. `x-request-id`), attached to the instance because
 * Nest's `send`/`emit` and a handler's return value carry nothing but the payload to the serializer.
 */
const attached = new WeakMap<Contract, Readonly<Record<string, string>>>();

export function attachHeaders<T extends Contract>(
  message: T,
  headers: Readonly<Record<string, string>>,
): T {
  attached.set(message, { ...attached.get(message), ...headers });
  return message;
}

export function attachedHeaders(message: Contract): Record<string, string> {
  return { ...attached.get(message) };
}
