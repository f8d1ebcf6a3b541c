import type { Contract } from '@subtasks/contracts';
import { MessagingError, describeCause } from '../errors/messaging-error';

/** True for instances of generated contract classes (anything with a `contract` and `toAvro`). */
export function isContract(value: unknown): value is Contract {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const contract: unknown = Reflect.get(value, 'contract');
  return (
    typeof Reflect.get(value, 'toAvro') === 'function' &&
    typeof Reflect.get(value, 'validate') === 'function' &&
    (typeof contract === 'function' || typeof contract === 'object') &&
    contract !== null &&
    typeof Reflect.get(contract, 'topic') === 'string'
  );
}

export function requireContract(value: unknown, where: string): Contract {
  if (!isContract(value)) {
    throw new MessagingError(
      'NOT_A_CONTRACT',
      `${where} needs an instance of a generated contract class, got ${describeValue(value)}`,
    );
  }
  return value;
}

/** Any failure as a MessagingError; errors of unknown kind count as undecodable bodies. */
export function asMessagingError(
  error: unknown,
  topic: string,
): MessagingError {
  if (error instanceof MessagingError) {
    return error;
  }
  return new MessagingError(
    'BODY_DECODE_FAILED',
    `Message on topic ${topic} could not be decoded: ${describeCause(error)}`,
    { topic, cause: error },
  );
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) {
    return String(value);
  }
  if (Buffer.isBuffer(value)) {
    return `a Buffer of ${value.length} bytes`;
  }
  if (typeof value === 'object') {
    return `an object of class ${value.constructor?.name ?? 'Object'}`;
  }
  return `a ${typeof value}`;
}
