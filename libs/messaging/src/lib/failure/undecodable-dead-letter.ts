import type { UndecodableMessage } from '../kafka/contract-codecs';
import type { DeadLetter } from './dead-letters';

/** A message that could not be decoded (bad bytes, unknown schema, invalid record) as a dead letter. */
export function deadLetterOfUndecodable(
  message: UndecodableMessage,
): DeadLetter {
  return {
    sourceTopic: message.topic,
    partition: message.partition,
    offset: message.offset,
    key: message.key,
    value: message.value,
    headers: message.headers,
    code: message.code,
    reason: message.error.message,
  };
}
