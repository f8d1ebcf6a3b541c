import { MessagingError, describeCause } from '../errors/messaging-error';

/** Failures that happen while encoding, before anything is handed to Kafka. */
const BEFORE_SENDING = new Set([
  'VALIDATION_FAILED',
  'NOT_A_CONTRACT',
  'UNKNOWN_TOPIC',
  'SCHEMA_NOT_REGISTERED',
  'SCHEMA_REJECTED',
  'SCHEMA_MISMATCH',
  'REGISTRY_UNAVAILABLE',
  'REGISTRY_REFUSED',
]);

/**
 * Broker answers that mean the record was not written, and that kafkajs does not retry: given on
 * the first and only attempt, they prove nothing reached the log.
 */
const NOT_WRITTEN = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_TOPIC_EXCEPTION',
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'UNSUPPORTED_FOR_MESSAGE_FORMAT',
  'INVALID_REQUIRED_ACKS',
]);

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? Reflect.get(value, key)
    : undefined;
}

/**
 * Why a command's publication failed, as far as it can be known: PUBLISH_REFUSED when the record
 * certainly did not reach Kafka (it could not be encoded, or the broker refused it outright), and
 * PUBLISH_UNCONFIRMED otherwise — a timeout or a lost connection may come after the broker wrote
 * it, and kafkajs's retries make any later error say nothing of the earlier attempts.
 */
export function publishFailure(error: unknown, topic: string): MessagingError {
  const reason = describeCause(error);
  const refused =
    (error instanceof MessagingError && BEFORE_SENDING.has(error.code)) ||
    (field(error, 'name') === 'KafkaJSProtocolError' &&
      NOT_WRITTEN.has(String(field(error, 'type')))) ||
    /producer is disconnected/i.test(reason);
  return new MessagingError(
    refused ? 'PUBLISH_REFUSED' : 'PUBLISH_UNCONFIRMED',
    refused
      ? `Kafka did not take the message for ${topic}: ${reason}`
      : `Whether Kafka took the message for ${topic} is unknown: ${reason}`,
    { topic, cause: error },
  );
}
