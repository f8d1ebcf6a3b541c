import type { Contract } from '@subtasks/contracts';
import type { ContractSerde } from '../serde/contract-serde';
import { messageKey } from './message-key';

/** A contract instance as Kafka will carry it: topic, key, Confluent wire-format value, headers. */
export interface EncodedRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
}

/** Encodes `message` now, for publishing later as it is (e.g. from a transactional outbox). */
export async function encodeRecord(
  serde: ContractSerde,
  message: Contract,
  headers: Record<string, string> = {},
): Promise<EncodedRecord> {
  return {
    topic: message.contract.topic,
    key: messageKey(message),
    value: await serde.encode(message),
    headers: { ...headers },
  };
}
