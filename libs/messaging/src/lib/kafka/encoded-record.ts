/** A contract instance as Kafka will carry it: topic, key, Confluent wire-format value, headers. */
export interface EncodedRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
}
