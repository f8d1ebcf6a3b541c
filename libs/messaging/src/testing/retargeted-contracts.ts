import {
  SubtaskResultUploaded,
  UploadSubtaskResult,
  UploadSubtaskResultReply,
  type CommandClass,
  type Contract,
  type ContractClass,
  type SubtaskResultUploadedFields,
  type UploadSubtaskResultInit,
  type UploadSubtaskResultReplyInit,
} from '@subtasks/contracts';

/**
 * The generated classes, bound to topics of a test's own (same schemas; the apps' subjects unless
 * `ownSubjects`), so tests never consume or produce on the topics the apps use.
 */
export interface RetargetedContracts {
  readonly Command: CommandClass<UploadSubtaskResult, UploadSubtaskResultReply>;
  readonly Reply: ContractClass<UploadSubtaskResultReply>;
  readonly Event: ContractClass<SubtaskResultUploaded>;
  readonly all: readonly ContractClass[];
  readonly topics: readonly string[];
  command(init: UploadSubtaskResultInit): UploadSubtaskResult;
  reply(init: UploadSubtaskResultReplyInit): UploadSubtaskResultReply;
  event(init: SubtaskResultUploadedFields): SubtaskResultUploaded;
}

export interface RetargetOptions {
  /**
   * Register under `<test topic>-value` (TopicNameStrategy) instead of the apps' subjects, for tests
   * that register schema versions of their own and must not touch the apps' subjects.
   */
  readonly ownSubjects?: boolean;
}

function bound<T extends Contract>(
  base: ContractClass<T>,
  topic: string,
  wrap: (message: T) => T,
  options: RetargetOptions,
): ContractClass<T> {
  return {
    messageName: base.messageName,
    topic,
    subject: options.ownSubjects ? `${topic}-value` : base.subject,
    role: base.role,
    compatibility: base.compatibility,
    keyField: base.keyField,
    schema: base.schema,
    schemaJson: base.schemaJson,
    fromAvro: (value: unknown) => wrap(base.fromAvro(value)),
  };
}

export function retargetedContracts(
  prefix: string,
  options: RetargetOptions = {},
): RetargetedContracts {
  const commandTopic = `${prefix}.UPLOAD_SUBTASK_RESULT`;

  // Generated classes type `contract` as `typeof TheClass`; the transport only uses the
  // ContractClass members of it, which the bound objects have, so these stand in for the class.
  class Reply extends UploadSubtaskResultReply {
    override get contract(): typeof UploadSubtaskResultReply {
      return ReplyClass as unknown as typeof UploadSubtaskResultReply;
    }
  }
  class Command extends UploadSubtaskResult {
    override get contract(): typeof UploadSubtaskResult {
      return CommandClassBound as unknown as typeof UploadSubtaskResult;
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
    options,
  );
  const CommandClassBound: CommandClass<
    UploadSubtaskResult,
    UploadSubtaskResultReply
  > = {
    ...bound<UploadSubtaskResult>(
      UploadSubtaskResult,
      commandTopic,
      (message) => new Command(message),
      options,
    ),
    role: 'command',
    reply: ReplyClass,
    deadLetterTopic: `${commandTopic}.dlq`,
  };
  const EventClass = bound<SubtaskResultUploaded>(
    SubtaskResultUploaded,
    `${prefix}.SUBTASK_RESULT_UPLOADED`,
    (message) => new Event(message),
    options,
  );

  return {
    Command: CommandClassBound,
    Reply: ReplyClass,
    Event: EventClass,
    all: [CommandClassBound, ReplyClass, EventClass],
    topics: [CommandClassBound.topic, ReplyClass.topic, EventClass.topic],
    command: (init) => new Command(init),
    reply: (init) => new Reply(init),
    event: (init) => new Event(init),
  };
}
