/**
 * A consumed Kafka message as Nest's Kafka transport hands it to a deserializer: kafkajs' message
 * plus `topic` and `partition`, headers decoded to text by Nest's parser, and (with
 * `parser.keepBinary`) the value left as the raw Buffer.
 */
export interface ConsumedRecord {
  readonly topic: string | undefined;
  readonly partition: number | undefined;
  readonly offset: string | undefined;
  readonly timestamp: string | undefined;
  readonly key: string | Buffer | null;
  readonly value: unknown;
  readonly headers: Readonly<Record<string, unknown>>;
}

export function readConsumedRecord(message: unknown): ConsumedRecord {
  const fields: object =
    typeof message === 'object' && message !== null ? message : {};
  const field = (name: string): unknown => Reflect.get(fields, name);
  const key = field('key');
  const partition = field('partition');
  const headers = field('headers');
  return {
    topic: asString(field('topic')),
    partition: typeof partition === 'number' ? partition : undefined,
    offset: asString(field('offset')),
    timestamp: asString(field('timestamp')),
    key: typeof key === 'string' || Buffer.isBuffer(key) ? key : null,
    value: field('value'),
    headers:
      typeof headers === 'object' && headers !== null
        ? Object.fromEntries(Object.entries(headers))
        : {},
  };
}

/** A header as text, whatever shape Nest's parser left it in (string, Buffer, parsed JSON). */
export function headerText(
  headers: Readonly<Record<string, unknown>>,
  name: string,
): string | undefined {
  const value = headers[name];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'string') {
    return value;
  }
  if (Buffer.isBuffer(value)) {
    return value.toString('utf8');
  }
  return JSON.stringify(value);
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
