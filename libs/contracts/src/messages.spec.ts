import { Type } from 'avsc';
import {
  ALL_TOPICS,
  CONTRACT_CLASSES,
  ContractValidationError,
  DEAD_LETTER_TOPICS,
  KAFKA_IDS,
  parseContractSchema,
  SUBJECTS,
  SubtaskResultUploaded,
  TOPICS,
  UPLOAD_OUTCOME_DEFAULT,
  UPLOAD_OUTCOME_SYMBOLS,
  UploadSubtaskResult,
  UploadSubtaskResultReply,
  type AvroSchema,
  type Command,
  type Contract,
  type ContractClass,
  type ReplyOf,
} from './index';

/** True only when A and B are the same type (not merely assignable). */
type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2
    ? true
    : false;

function expectType<T extends true>(): T | undefined {
  return undefined;
}

const requestedAt = new Date('2025-03-01T10:00:00.123Z');

function command(): UploadSubtaskResult {
  return new UploadSubtaskResult({
    subtaskId: 'subtask-42',
    isWorkerComplete: true,
    requestId: '6f1c7a1e-5b0e-4d8f-9a53-1f2e3d4c5b6a',
    requestedAt,
  });
}

function roundTrip<T extends Contract>(cls: ContractClass<T>, message: T): T {
  return cls.fromAvro(
    cls.schema.fromBuffer(cls.schema.toBuffer(message.toAvro())),
  );
}

describe('UploadSubtaskResult', () => {
  it('round-trips through the Avro binary encoding, Date included', () => {
    const decoded = roundTrip(UploadSubtaskResult, command());

    expect(decoded).toBeInstanceOf(UploadSubtaskResult);
    expect(decoded).toEqual(command());
    expect(decoded.requestedAt).toEqual(requestedAt);
  });

  it('writes requestedAt as timestamp-millis: a long of milliseconds', () => {
    const plainReader = Type.forSchema(
      JSON.parse(UploadSubtaskResult.schemaJson) as AvroSchema,
    );
    const decoded = plainReader.fromBuffer(
      UploadSubtaskResult.schema.toBuffer(command().toAvro()),
    ) as {
      requestedAt: unknown;
    };

    expect(decoded.requestedAt).toBe(requestedAt.getTime());
  });

  it('defaults isWorkerComplete to false, as the schema does', () => {
    const minimal = new UploadSubtaskResult({
      subtaskId: 's',
      requestId: 'r',
      requestedAt,
    });

    expect(minimal.isWorkerComplete).toBe(false);
  });

  it('names the bad field when validation fails', () => {
    const bad = new UploadSubtaskResult({
      subtaskId: 42 as unknown as string,
      requestId: 'r',
      requestedAt,
    });

    expect(() => bad.validate()).toThrow(ContractValidationError);
    expect(() => bad.validate()).toThrow(
      'Invalid UploadSubtaskResult: subtaskId: expected string, got number 42',
    );
    try {
      bad.validate();
    } catch (error) {
      expect((error as ContractValidationError).paths).toEqual(['subtaskId']);
      expect((error as ContractValidationError).messageName).toBe(
        'UploadSubtaskResult',
      );
    }
  });

  it('fromAvro rejects a record with missing or mistyped fields, listing each', () => {
    expect(() =>
      UploadSubtaskResult.fromAvro({ subtaskId: 's', requestedAt: 5 }),
    ).toThrow(
      /requestId: expected string, got undefined; requestedAt: expected timestamp-millis \(Date\), got number 5/,
    );
    expect(() => UploadSubtaskResult.fromAvro(null)).toThrow(
      /\(record\): expected record .*UploadSubtaskResult, got null/,
    );
  });

  it('fromAvro fills a field the record leaves out when the schema has a default', () => {
    const decoded = UploadSubtaskResult.fromAvro({
      subtaskId: 's',
      requestId: 'r',
      requestedAt,
    });

    expect(decoded.isWorkerComplete).toBe(false);
  });

  it('carries its catalogue entry', () => {
    expect(UploadSubtaskResult.messageName).toBe('UploadSubtaskResult');
    expect(UploadSubtaskResult.topic).toBe('UPLOAD_SUBTASK_RESULT');
    expect(UploadSubtaskResult.subject).toBe('UPLOAD_SUBTASK_RESULT-value');
    expect(UploadSubtaskResult.role).toBe('command');
    expect(UploadSubtaskResult.compatibility).toBe('BACKWARD');
    expect(UploadSubtaskResult.deadLetterTopic).toBe(
      'UPLOAD_SUBTASK_RESULT.dlq',
    );
    expect(UploadSubtaskResult.reply).toBe(UploadSubtaskResultReply);
    expect(command().contract).toBe(UploadSubtaskResult);
    expect(UploadSubtaskResult.schema.name).toBe(
      'com.labelling.subtasks.v1.UploadSubtaskResult',
    );
  });

  it('is keyed by subtaskId, so the commands of one subtask stay in order in one partition', () => {
    const message = command();

    expect(UploadSubtaskResult.keyField).toBe('subtaskId');
    expect(message.kafkaKey).toBe(message.subtaskId);
    expect(message.kafkaKey).toBe('subtask-42');
    expect(roundTrip(UploadSubtaskResult, message).kafkaKey).toBe('subtask-42');
    expectType<Equals<typeof UploadSubtaskResult.keyField, 'subtaskId'>>();
  });

  it('has no run-time trace of the phantom reply type', () => {
    expect(Object.keys(command())).toEqual([
      'subtaskId',
      'isWorkerComplete',
      'requestId',
      'requestedAt',
    ]);
    expect(command().__reply).toBeUndefined();
  });

  it('types its reply at compile time', () => {
    expectType<
      Equals<ReplyOf<UploadSubtaskResult>, UploadSubtaskResultReply>
    >();
    expectType<
      Equals<ReplyOf<Command<SubtaskResultUploaded>>, SubtaskResultUploaded>
    >();

    // A typed send, as libs/messaging writes it.
    const send = <C extends Command>(sent: C, reply: Contract): ReplyOf<C> =>
      sent.contract.reply.fromAvro(reply.toAvro()) as ReplyOf<C>;
    const reply: UploadSubtaskResultReply = send(
      command(),
      new UploadSubtaskResultReply({
        requestId: 'r',
        subtaskId: 's',
        outcome: 'STORED',
        resultVersion: 3,
      }),
    );
    expect(reply.resultVersion).toBe(3);

    // Never called: these lines only have to fail to compile.
    const _mustNotCompile = (): void => {
      const event = new SubtaskResultUploaded({
        requestId: 'r',
        subtaskId: 's',
        outcome: 'STORED',
        isWorkerComplete: false,
        uploadedAt: requestedAt,
      });
      // @ts-expect-error: an event is not a command, so it cannot be sent for a reply.
      send(event, reply);
      // @ts-expect-error: a reply is not a command either.
      send(reply, reply);
      // @ts-expect-error: ReplyOf of a non-command is never.
      const none: ReplyOf<UploadSubtaskResultReply> = reply;
      // @ts-expect-error: the reply of a command is its own reply type, not another message.
      const wrong: ReplyOf<UploadSubtaskResult> = event;
      expect([none, wrong]).toBeDefined();
    };
  });
});

describe('UploadSubtaskResultReply', () => {
  const reply = (): UploadSubtaskResultReply =>
    new UploadSubtaskResultReply({
      requestId: 'r-1',
      subtaskId: 's-1',
      outcome: 'REJECTED',
      reason: 'no result to upload',
    });

  it('round-trips, with nullable fields defaulting to null', () => {
    const decoded = roundTrip(UploadSubtaskResultReply, reply());

    expect(decoded).toEqual(reply());
    expect(decoded.resultVersion).toBeNull();
    expect(decoded.reason).toBe('no result to upload');
  });

  it('rejects a symbol outside the enum', () => {
    const bad = new UploadSubtaskResultReply({
      requestId: 'r',
      subtaskId: 's',
      outcome: 'LOST' as 'STORED',
    });

    expect(() => bad.validate()).toThrow(
      /^Invalid UploadSubtaskResultReply: outcome: expected enum .*UploadOutcome/,
    );
  });

  it('declares the UploadOutcome enum default, so readers tolerate new symbols', () => {
    expect(UPLOAD_OUTCOME_SYMBOLS).toEqual([
      'STORED',
      'ALREADY_STORED',
      'REJECTED',
      'UNKNOWN',
    ]);
    expect(UPLOAD_OUTCOME_DEFAULT).toBe('UNKNOWN');
    const outcome = (
      JSON.parse(UploadSubtaskResultReply.schemaJson) as {
        fields: Array<{ name: string; type: { default?: string } }>;
      }
    ).fields.find((field) => field.name === 'outcome');
    expect(outcome?.type.default).toBe('UNKNOWN');
  });

  it('reads a symbol added by a newer writer as UNKNOWN', () => {
    const newer = JSON.parse(UploadSubtaskResultReply.schemaJson) as {
      fields: Array<{ name: string; type: { symbols?: string[] } }>;
    };
    newer.fields
      .find((field) => field.name === 'outcome')
      ?.type.symbols?.push('QUARANTINED');
    const writer = parseContractSchema(newer);
    const written = writer.toBuffer({
      ...reply().toAvro(),
      outcome: 'QUARANTINED',
    });

    const decoded = UploadSubtaskResultReply.fromAvro(
      UploadSubtaskResultReply.schema.fromBuffer(
        written,
        UploadSubtaskResultReply.schema.createResolver(writer),
      ),
    );

    expect(decoded.outcome).toBe('UNKNOWN');
  });
});

describe('SubtaskResultUploaded', () => {
  it('round-trips', () => {
    const event = new SubtaskResultUploaded({
      requestId: 'r',
      subtaskId: 's',
      outcome: 'ALREADY_STORED',
      resultVersion: 7,
      isWorkerComplete: true,
      uploadedAt: new Date(1_750_000_000_000),
    });

    expect(roundTrip(SubtaskResultUploaded, event)).toEqual(event);
  });
});

describe('catalogue constants', () => {
  it('lists topics, subjects, dead-letter topics and Kafka ids from the catalogue', () => {
    expect(TOPICS).toEqual({
      SubtaskResultUploaded: 'SUBTASK_RESULT_UPLOADED',
      UploadSubtaskResult: 'UPLOAD_SUBTASK_RESULT',
      UploadSubtaskResultReply: 'UPLOAD_SUBTASK_RESULT.reply',
    });
    expect(SUBJECTS.UploadSubtaskResultReply).toBe(
      'UPLOAD_SUBTASK_RESULT.reply-value',
    );
    expect(DEAD_LETTER_TOPICS).toEqual({
      UploadSubtaskResult: 'UPLOAD_SUBTASK_RESULT.dlq',
    });
    expect(KAFKA_IDS).toEqual({
      clientId: 'subtask',
      workerGroupId: 'subtask-consumer',
      apiGroupId: 'subtask-api',
    });
    expect(ALL_TOPICS).toEqual([
      'SUBTASK_RESULT_UPLOADED',
      'UPLOAD_SUBTASK_RESULT',
      'UPLOAD_SUBTASK_RESULT.dlq',
      'UPLOAD_SUBTASK_RESULT.reply',
    ]);
  });

  it('lists every message class, each with a subject of <topic>-value and a parsable schema', () => {
    expect(CONTRACT_CLASSES.map((cls) => cls.messageName)).toEqual([
      'SubtaskResultUploaded',
      'UploadSubtaskResult',
      'UploadSubtaskResultReply',
    ]);
    for (const cls of CONTRACT_CLASSES) {
      expect(cls.subject).toBe(`${cls.topic}-value`);
      expect(parseContractSchema(cls.schemaJson).equals(cls.schema)).toBe(true);
    }
  });

  it('keys every message by subtaskId, read through the generic Contract interface', () => {
    const messages: Contract[] = [
      command(),
      new UploadSubtaskResultReply({
        requestId: 'r',
        subtaskId: 'subtask-42',
        outcome: 'STORED',
      }),
      new SubtaskResultUploaded({
        requestId: 'r',
        subtaskId: 'subtask-42',
        outcome: 'STORED',
        isWorkerComplete: false,
        uploadedAt: requestedAt,
      }),
    ];

    for (const cls of CONTRACT_CLASSES) {
      expect(cls.keyField).toBe('subtaskId');
    }
    for (const message of messages) {
      expect(message.contract.keyField).toBe('subtaskId');
      expect(message.kafkaKey).toBe('subtask-42');
    }
  });
});
