import { KafkaHeaders } from '@nestjs/microservices';
import {
  UploadSubtaskResult,
  UploadSubtaskResultReply,
  type ContractClass,
} from '@subtasks/contracts';
import type { Type } from 'avsc';
import { MessagingError } from '../errors/messaging-error';
import type { SchemaLookup } from '../registry/schema-lookup';
import { ContractSerde } from '../serde/contract-serde';
import { ContractCatalogue } from './contract-catalogue';
import {
  ContractRequestDeserializer,
  ContractResponseDeserializer,
  UndecodableMessage,
} from './contract-codecs';
import { codecCommand, codecSerde } from '../../testing/codec-fixtures';

const serde = codecSerde;
const catalogue = new ContractCatalogue();

const command = codecCommand;
const reply = new UploadSubtaskResultReply({
  requestId: 'req-1',
  subtaskId: 'subtask-42',
  outcome: 'REJECTED',
  reason: 'no such subtask',
});

/** A message as Nest's Kafka parser (keepBinary) hands it over. */
function consumed(
  topic: string,
  value: Buffer | null,
  headers: Record<string, unknown> = {},
) {
  return {
    topic,
    partition: 2,
    offset: '17',
    timestamp: '1700000000000',
    key: 'subtask-42',
    value,
    headers,
  };
}

describe('ContractRequestDeserializer (ServerKafka)', () => {
  const deserializer = new ContractRequestDeserializer(serde, catalogue);

  it('maps the channel to its contract class and yields the typed instance', async () => {
    const value = await serde.encode(command);

    const packet = await deserializer.deserialize(
      consumed('UPLOAD_SUBTASK_RESULT', value),
      { channel: 'UPLOAD_SUBTASK_RESULT' },
    );

    expect(packet.pattern).toBe('UPLOAD_SUBTASK_RESULT');
    expect(packet.data).toBeInstanceOf(UploadSubtaskResult);
    expect(packet.data).toEqual(command);
  });

  it.each([
    ['JSON text', Buffer.from('{"subtaskId":"1"}'), 'NO_MAGIC_BYTE'],
    ['a tombstone', null, 'NO_MAGIC_BYTE'],
    [
      'an unknown schema id',
      Buffer.from('00000003e700', 'hex'),
      'UNKNOWN_SCHEMA_ID',
    ],
    [
      'a truncated body',
      Buffer.from('000000000b12', 'hex'),
      'BODY_DECODE_FAILED',
    ],
  ])(
    'yields %s as an UndecodableMessage with code %s and the raw bytes',
    async (_case, value, code) => {
      const packet = await deserializer.deserialize(
        consumed('UPLOAD_SUBTASK_RESULT', value),
        { channel: 'UPLOAD_SUBTASK_RESULT' },
      );

      expect(packet.pattern).toBe('UPLOAD_SUBTASK_RESULT');
      const data = packet.data;
      if (!(data instanceof UndecodableMessage)) {
        throw new Error('expected an UndecodableMessage');
      }
      expect(data.code).toBe(code);
      expect(data.value).toEqual(value);
      expect(data).toMatchObject({
        topic: 'UPLOAD_SUBTASK_RESULT',
        partition: 2,
        offset: '17',
        key: 'subtask-42',
      });
      expect(data.position).toBe('UPLOAD_SUBTASK_RESULT[2]@17');
    },
  );

  it('yields a message on a topic without a contract as UNKNOWN_TOPIC, keeping the pattern', async () => {
    const packet = await deserializer.deserialize(
      consumed('SOMEONE_ELSES', Buffer.from('00000000010102', 'hex')),
      { channel: 'SOMEONE_ELSES' },
    );

    expect(packet.pattern).toBe('SOMEONE_ELSES');
    expect(packet.data).toMatchObject({ code: 'UNKNOWN_TOPIC' });
  });

  it('rejects on a transient registry failure, so kafkajs redelivers instead of skipping', async () => {
    const down: SchemaLookup = {
      schemaIdOf: () => Promise.reject(new Error('unused')),
      writerTypeOf: (): Promise<Type> =>
        Promise.reject(
          new MessagingError('REGISTRY_UNAVAILABLE', 'connect ECONNREFUSED'),
        ),
    };
    const offline = new ContractRequestDeserializer(
      new ContractSerde(down),
      catalogue,
    );

    await expect(
      offline.deserialize(
        consumed('UPLOAD_SUBTASK_RESULT', await serde.encode(command)),
        { channel: 'UPLOAD_SUBTASK_RESULT' },
      ),
    ).rejects.toMatchObject({ code: 'REGISTRY_UNAVAILABLE', retriable: true });
  });
});

describe('ContractResponseDeserializer (ClientKafka replies)', () => {
  const deserializer = new ContractResponseDeserializer(serde, catalogue);
  const replyTopic = 'UPLOAD_SUBTASK_RESULT.reply';

  it('decodes the reply by its topic and keeps the correlation id', async () => {
    const response = await deserializer.deserialize(
      consumed(replyTopic, await serde.encode(reply), {
        [KafkaHeaders.CORRELATION_ID]: 'corr-1',
        [KafkaHeaders.NEST_IS_DISPOSED]: Buffer.alloc(1),
      }),
    );

    expect(response.id).toBe('corr-1');
    expect(response.isDisposed).toBe(true);
    expect(response.err).toBeUndefined();
    expect(response.response).toBeInstanceOf(UploadSubtaskResultReply);
    expect(response.response).toEqual(reply);
  });

  it.each([
    [
      'parsed JSON',
      { status: 'error', message: 'Internal server error' },
      undefined,
    ],
    [
      'JSON text',
      '{"status":"error","code":"SCHEMA_MISMATCH","message":"cannot read"}',
      'SCHEMA_MISMATCH',
    ],
    [
      'plain text',
      'There is no matching message handler defined in the remote service.',
      undefined,
    ],
  ])(
    'turns a Nest error reply (%s) into REPLY_ERROR',
    async (_case, header, remoteCode) => {
      const response = await deserializer.deserialize(
        consumed(replyTopic, null, {
          [KafkaHeaders.CORRELATION_ID]: 'corr-2',
          [KafkaHeaders.NEST_ERR]: header,
        }),
      );

      expect(response).toMatchObject({ id: 'corr-2', isDisposed: true });
      expect(response.err).toBeInstanceOf(MessagingError);
      expect(response.err).toMatchObject({
        code: 'REPLY_ERROR',
        topic: 'UPLOAD_SUBTASK_RESULT',
        remoteCode,
      });
      expect(response.err?.message).toContain('UPLOAD_SUBTASK_RESULT');
    },
  );

  it('ends the stream on an empty end-of-stream message', async () => {
    await expect(
      deserializer.deserialize(
        consumed(replyTopic, null, {
          [KafkaHeaders.CORRELATION_ID]: 'corr-3',
          [KafkaHeaders.NEST_IS_DISPOSED]: Buffer.alloc(1),
        }),
      ),
    ).resolves.toEqual({ id: 'corr-3', isDisposed: true });
  });

  it('hands an undecodable reply to the caller as its typed error instead of rejecting', async () => {
    const response = await deserializer.deserialize(
      consumed(replyTopic, Buffer.from('garbage'), {
        [KafkaHeaders.CORRELATION_ID]: 'corr-4',
      }),
    );

    expect(response).toMatchObject({ id: 'corr-4', isDisposed: true });
    expect(response.err).toMatchObject({
      code: 'NO_MAGIC_BYTE',
      topic: replyTopic,
    });
  });
});

describe('ContractCatalogue', () => {
  it('binds the generated topics and lists the commands', () => {
    expect(catalogue.forTopic('UPLOAD_SUBTASK_RESULT')).toBe(
      UploadSubtaskResult,
    );
    expect(catalogue.commands()).toEqual([UploadSubtaskResult]);
    expect(catalogue.topics()).toEqual(
      expect.arrayContaining([
        'UPLOAD_SUBTASK_RESULT',
        'UPLOAD_SUBTASK_RESULT.reply',
      ]),
    );
  });

  it('refuses two classes on one topic', () => {
    const impostor: ContractClass = {
      ...UploadSubtaskResultReply,
      messageName: 'Impostor',
      topic: 'UPLOAD_SUBTASK_RESULT',
      fromAvro: (value: unknown) => UploadSubtaskResultReply.fromAvro(value),
    };

    expect(
      () => new ContractCatalogue([UploadSubtaskResult, impostor]),
    ).toThrow(
      /UPLOAD_SUBTASK_RESULT is bound to both UploadSubtaskResult and Impostor/,
    );
  });
});
