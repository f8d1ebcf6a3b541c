import type { Contract, ContractClass } from '@subtasks/contracts';

/**
 * A message as an outbox payload: Avro's JSON encoding of its fields (timestamps as epoch
 * milliseconds, union values wrapped in their branch name), validated on the way in and out, so a
 * relay can encode it later exactly as the message was built.
 */
export function outboxPayloadOf(message: Contract): Record<string, unknown> {
  message.validate();
  return JSON.parse(
    message.contract.schema.toString(message.toAvro()),
  ) as Record<string, unknown>;
}

/** The message an outbox payload holds, validated against its contract. */
export function contractFromOutboxPayload<T extends Contract>(
  contract: ContractClass<T>,
  payload: unknown,
): T {
  return contract.fromAvro(contract.schema.fromString(JSON.stringify(payload)));
}
