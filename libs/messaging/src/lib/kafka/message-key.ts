import type { Contract } from '@subtasks/contracts';

/**
 * The Kafka key of a message: its subtask id, so one subtask's messages stay on one partition, in
 * order. Which field that is, the catalogue declares per message (`key`); the generated class
 * exposes it as `keyField` and its value as `kafkaKey`. No declared key: no key (round-robin).
 */
export function messageKey(message: Contract): string | null {
  return message.kafkaKey;
}
