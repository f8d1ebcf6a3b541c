import {
  type CommandClass,
  type Contract,
  type ContractClass,
  SubtaskResultUploaded,
  type SubtaskResultUploadedFields,
  UploadSubtaskResult,
  type UploadSubtaskResultInit,
  UploadSubtaskResultReply,
  type UploadSubtaskResultReplyInit,
} from '@subtasks/contracts';

/**
 * The generated classes bound to the run's own topics (same schemas and subjects), so the typed paths
 * measure the product's transport without touching the apps' topics.
 */
export interface BenchContracts {
  readonly Command: CommandClass<UploadSubtaskResult, UploadSubtaskResultReply>;
  readonly Event: ContractClass<SubtaskResultUploaded>;
  readonly all: readonly ContractClass[];
  /** Every topic the contracts name (Nest subscribes to the command's reply topic at start). */
  readonly topics: readonly string[];
  command(init: UploadSubtaskResultInit): UploadSubtaskResult;
  reply(init: UploadSubtaskResultReplyInit): UploadSubtaskResultReply;
  event(init: SubtaskResultUploadedFields): SubtaskResultUploaded;
}

function bound<T extends Contract>(
  base: ContractClass<T>,
  topic: string,
  wrap: (message: T) => T,
): ContractClass<T> {
  return {
    messageName: base.messageName,
    topic,
    subject: base.subject,
    role: base.role,
    compatibility: base.compatibility,
    keyField: base.keyField,
    schema: base.schema,
    schemaJson: base.schemaJson,
    fromAvro: (value: unknown) => wrap(base.fromAvro(value)),
  };
}

export function benchContracts(prefix: string): BenchContracts {
  const commandTopic = `${prefix}.UPLOAD_SUBTASK_RESULT`;

  // The transport reads only the ContractClass members of `contract`, which the bound objects have.
  class Reply extends UploadSubtaskResultReply {
    override get contract(): typeof UploadSubtaskResultReply {
      return ReplyClass as unknown as typeof UploadSubtaskResultReply;
    }
  }
  class Command extends UploadSubtaskResult {
    override get contract(): typeof UploadSubtaskResult {
      return CommandClass as unknown as typeof UploadSubtaskResult;
    }
  }
  class Event extends SubtaskResultUploaded {
    override get contract(): typeof SubtaskResultUploaded {
      return EventClass as unknown as typeof SubtaskResultUploaded;
    }
  }

  const ReplyClass = bound<UploadSubtaskResultReply>(
    UploadSubtaskResultReply,
    `${commandTopic}.reply`,
    (message) => new Reply(message),
  );
  const CommandClass: CommandClass<
    UploadSubtaskResult,
    UploadSubtaskResultReply
  > = {
    ...bound<UploadSubtaskResult>(
      UploadSubtaskResult,
      commandTopic,
      (message) => new Command(message),
    ),
    role: 'command',
    reply: ReplyClass,
    deadLetterTopic: `${commandTopic}.dlq`,
  };
  const EventClass = bound<SubtaskResultUploaded>(
    SubtaskResultUploaded,
    `${prefix}.SUBTASK_RESULT_UPLOADED`,
    (message) => new Event(message),
  );

  return {
    Command: CommandClass,
    Event: EventClass,
    all: [CommandClass, ReplyClass, EventClass],
    topics: [CommandClass.topic, ReplyClass.topic, EventClass.topic],
    command: (init) => new Command(init),
    reply: (init) => new Reply(init),
    event: (init) => new Event(init),
  };
}
