import type { Type } from 'avsc';

/** How a message is used: a command expects a reply; a reply answers a command; an event is fire-and-forget. */
export type MessageRole = 'command' | 'reply' | 'event';

/** Schema Registry compatibility levels a catalogue entry may ask for. */
export type CompatibilityLevel =
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE'
  | 'NONE';

/** The static side of a generated message class: where it travels and how it is encoded. */
export interface ContractClass<T extends Contract = Contract> {
  /** The catalogue name (the Avro record's name), safe from minification unlike `Function.name`. */
  readonly messageName: string;
  readonly topic: string;
  /** Schema Registry subject: `<topic>-value` (TopicNameStrategy). */
  readonly subject: string;
  readonly role: MessageRole;
  readonly compatibility: CompatibilityLevel;
  /** The top-level string field whose value is the Kafka message key; absent when the catalogue declares none. */
  readonly keyField?: string;
  /** The parsed schema (reader schema when decoding). */
  readonly schema: Type;
  /** The schema as registered: the .avsc file's JSON, compact, keys in file order. */
  readonly schemaJson: string;
  /** Validates a decoded (or plain) record and builds the message; throws ContractValidationError. */
  fromAvro(value: unknown): T;
}

/** The static side of a generated command class. */
export interface CommandClass<
  C extends Contract = Contract,
  R extends Contract = Contract,
> extends ContractClass<C> {
  readonly role: 'command';
  /** The class of the reply the handler returns. */
  readonly reply: ContractClass<R>;
  /** Where a command that cannot be decoded or keeps failing is parked. */
  readonly deadLetterTopic: string;
}

/** An instance of a generated message class. */
export interface Contract {
  /** The message's class (topic, subject, schema), reachable from an instance. */
  readonly contract: ContractClass;
  /** The Kafka message key: the value of `contract.keyField`, or null when no key is declared or the value is null. */
  readonly kafkaKey: string | null;
  /** Throws ContractValidationError naming every field that does not match the schema. */
  validate(): void;
  /** The plain record to encode with `contract.schema`. */
  toAvro(): object;
}

/** An instance of a generated command class whose reply is `R`. */
export interface Command<R extends Contract = Contract> extends Contract {
  readonly contract: CommandClass<Contract, R>;
  /** Compile-time only: carries the reply type. Always undefined at run time. */
  readonly __reply: R | undefined;
}

/** The reply type of a command: `ReplyOf<UploadSubtaskResult>` is `UploadSubtaskResultReply`. */
export type ReplyOf<C> = C extends Command<infer R> ? R : never;
