import type { UndecodableMessage } from '../kafka/contract-codecs';

/**
 * Called for every consumed message that cannot be decoded, after it is logged and before it is
 * acknowledged. The place for dead-letter publishing: if it rejects, the message is redelivered.
 */
export type UndecodableMessageHook = (
  message: UndecodableMessage,
) => void | Promise<void>;

export const UNDECODABLE_MESSAGE_HOOK = Symbol('UNDECODABLE_MESSAGE_HOOK');
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
/** The app's validated {@link KafkaConnection}: every Kafka client of the app is built from it. */
export const KAFKA_CONNECTION = Symbol('KAFKA_CONNECTION');
