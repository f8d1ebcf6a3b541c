import type {
  MessagingError,
  MessagingErrorCode,
} from '../errors/messaging-error';
import type { ConsumedRecord } from './consumed-record';

/**
 * What a handler receives instead of a contract instance when a consumed message cannot be
 * decoded: the typed error plus everything needed to dead-letter the original bytes.
 */
export class UndecodableMessage {
  readonly partition: number | undefined;
  readonly offset: string | undefined;
  readonly timestamp: string | undefined;
  readonly key: string | Buffer | null;
  /** The value exactly as consumed (the raw bytes, or null for a tombstone). */
  readonly value: Buffer | null;
  readonly headers: Readonly<Record<string, unknown>>;

  constructor(
    readonly error: MessagingError,
    readonly topic: string,
    record: ConsumedRecord,
  ) {
    this.partition = record.partition;
    this.offset = record.offset;
    this.timestamp = record.timestamp;
    this.key = record.key;
    this.value = Buffer.isBuffer(record.value)
      ? record.value
      : typeof record.value === 'string'
        ? Buffer.from(record.value)
        : null;
    this.headers = record.headers;
  }

  get code(): MessagingErrorCode {
    return this.error.code;
  }

  /** `topic[partition]@offset`, for logs. */
  get position(): string {
    return `${this.topic}[${String(this.partition ?? '?')}]@${this.offset ?? '?'}`;
  }
}
