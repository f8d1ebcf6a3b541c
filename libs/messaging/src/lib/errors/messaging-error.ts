/**
 * Stable codes for everything that can go wrong between a contract instance and Kafka bytes.
 * Callers branch on `code`, never on the message text.
 */
export type MessagingErrorCode =
  /** The value is empty, null, too short, or does not start with byte 0 + a 4-byte schema id. */
  | 'NO_MAGIC_BYTE'
  /** The registry does not know the schema id in the message header. */
  | 'UNKNOWN_SCHEMA_ID'
  /** The writer's schema cannot be resolved to the reader's (or is not an Avro schema). */
  | 'SCHEMA_MISMATCH'
  /** The Avro body is truncated, has trailing bytes, or is garbage. */
  | 'BODY_DECODE_FAILED'
  /** The record does not satisfy the contract (names the field). */
  | 'VALIDATION_FAILED'
  /** The registry could not be reached or answered 5xx: retry, do not dead-letter. */
  | 'REGISTRY_UNAVAILABLE'
  /** The registry refused the credentials (401) or the operation (403): fix the configuration. */
  | 'REGISTRY_REFUSED'
  /** No broker could be reached (refused, timed out): retry. */
  | 'KAFKA_UNAVAILABLE'
  /** The cluster refused this client: SASL credentials, TLS trust or ACLs. */
  | 'KAFKA_REFUSED'
  /** Verify mode: the app's own schema is not registered under its subject. */
  | 'SCHEMA_NOT_REGISTERED'
  /** The registry refused to register a schema (incompatible, invalid). */
  | 'SCHEMA_REJECTED'
  /** No contract class is bound to the topic the message came from. */
  | 'UNKNOWN_TOPIC'
  /** Something that is not a generated contract instance was given to the transport. */
  | 'NOT_A_CONTRACT'
  /** The remote handler answered a command with an error instead of a reply. */
  | 'REPLY_ERROR'
  /** The message certainly did not reach Kafka (not encodable, or refused by the broker). */
  | 'PUBLISH_REFUSED'
  /** The message may or may not be in Kafka (timeout or lost connection before the acknowledgement). */
  | 'PUBLISH_UNCONFIRMED'
  /** Every partition of a reply topic is held by other instances of the app: add partitions. */
  | 'REPLY_PARTITION_UNAVAILABLE'
  /** No reply arrived within the send timeout. */
  | 'REPLY_TIMEOUT'
  /** The remote handler finished without replying. */
  | 'NO_REPLY';

const RETRIABLE_CODES: ReadonlySet<MessagingErrorCode> = new Set([
  'REGISTRY_UNAVAILABLE',
  // The message is fine; the registry refused this app (credentials rotated, CA changed).
  'REGISTRY_REFUSED',
  'KAFKA_UNAVAILABLE',
  'REPLY_TIMEOUT',
]);

/** Where and what went wrong, as far as it is known. */
export interface MessagingErrorDetails {
  readonly topic?: string;
  readonly schemaId?: number;
  readonly subject?: string;
  /** Paths of the fields that failed validation. */
  readonly fields?: readonly string[];
  /** For REPLY_ERROR: the code the remote side put in its error, when it sent one. */
  readonly remoteCode?: string;
  readonly cause?: unknown;
}

/** The one error type of this library; `code` is stable, the message names topic, schema id and field. */
export class MessagingError extends Error {
  override readonly name: string = 'MessagingError';
  readonly topic: string | undefined;
  readonly schemaId: number | undefined;
  readonly subject: string | undefined;
  readonly fields: readonly string[];
  readonly remoteCode: string | undefined;

  constructor(
    readonly code: MessagingErrorCode,
    message: string,
    details: MessagingErrorDetails = {},
  ) {
    super(
      message,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.topic = details.topic;
    this.schemaId = details.schemaId;
    this.subject = details.subject;
    this.fields = details.fields ?? [];
    this.remoteCode = details.remoteCode;
  }

  /** True when the same operation may succeed later (the message must not be dead-lettered). */
  get retriable(): boolean {
    return RETRIABLE_CODES.has(this.code);
  }

  /** The shape sent to a caller in a Nest error reply. */
  toJSON(): MessagingErrorPayload {
    return {
      status: 'error',
      code: this.code,
      message: this.message,
      ...(this.topic === undefined ? {} : { topic: this.topic }),
      ...(this.schemaId === undefined ? {} : { schemaId: this.schemaId }),
      ...(this.fields.length === 0 ? {} : { fields: [...this.fields] }),
    };
  }
}

/** A MessagingError as JSON, e.g. in the `kafka_nest-err` header of an error reply. */
export interface MessagingErrorPayload {
  readonly status: 'error';
  readonly code: MessagingErrorCode;
  readonly message: string;
  readonly topic?: string;
  readonly schemaId?: number;
  readonly fields?: string[];
}

/** A short, safe description of an error of unknown type, for messages. */
export function describeCause(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
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
