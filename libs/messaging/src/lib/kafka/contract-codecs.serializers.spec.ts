import { Logger } from '@nestjs/common';
import { KafkaHeaders } from '@nestjs/microservices';
import {
  SubtaskResultUploaded,
  UploadSubtaskResult,
  UploadSubtaskResultReply,
} from '@subtasks/contracts';
import { unframe } from '../serde/contract-serde';
import { ContractReplySerializer, ContractSerializer } from './contract-codecs';
import { codecCommand, codecSerde } from '../../testing/codec-fixtures';
import { OutgoingMessage } from './outgoing-message';

const serde = codecSerde;

const command = codecCommand;
const reply = new UploadSubtaskResultReply({
  requestId: 'req-1',
  subtaskId: 'subtask-42',
  outcome: 'STORED',
  resultVersion: 3,
});

beforeAll(() => Logger.overrideLogger(false));

describe('ContractSerializer (ClientKafka send/emit)', () => {
  const serializer = new ContractSerializer(serde);

  it('resolves to a message object: subtask id as key, wire-format value, its request id header', async () => {
    const message = await serializer.serialize(command, {
      pattern: 'UPLOAD_SUBTASK_RESULT',
    });

    expect(message.key).toBe('subtask-42');
    expect(message.headers).toEqual({ 'x-request-id': 'req-1' });
    expect(Buffer.isBuffer(message.value)).toBe(true);
    expect(unframe(message.value, 'T').schemaId).toBe(11);
    expect(await serde.decode(UploadSubtaskResult, message.value)).toEqual(
      command,
    );
  });

  it('leaves room for the correlation headers Nest adds afterwards', async () => {
    const message = await serializer.serialize(command, {
      pattern: 'UPLOAD_SUBTASK_RESULT',
    });
    message.headers[KafkaHeaders.CORRELATION_ID] = 'abc';

    expect(message.headers[KafkaHeaders.CORRELATION_ID]).toBe('abc');
  });

  it('sends the headers of an outgoing message (e.g. the trace context)', async () => {
    const sent = new OutgoingMessage(new UploadSubtaskResult({ ...command }), {
      tracestate: 'vendor=1',
    });
    const message = await serializer.serialize(sent, {
      pattern: 'UPLOAD_SUBTASK_RESULT',
    });
    expect(message.headers).toEqual({
      'x-request-id': 'req-1',
      tracestate: 'vendor=1',
    });
  });

  it('refuses a contract sent to another topic', async () => {
    await expect(
      serializer.serialize(command, { pattern: 'SOMETHING_ELSE' }),
    ).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC', topic: 'SOMETHING_ELSE' });
  });

  it.each([
    ['a plain object', { subtaskId: 'x' }],
    ['a Buffer', Buffer.from('x')],
    ['a string', 'x'],
  ])('refuses %s with NOT_A_CONTRACT', async (_case, value) => {
    await expect(
      serializer.serialize(value, { pattern: 'UPLOAD_SUBTASK_RESULT' }),
    ).rejects.toMatchObject({ code: 'NOT_A_CONTRACT' });
  });

  it('rejects an invalid instance with VALIDATION_FAILED naming the field', async () => {
    const invalid = new UploadSubtaskResult({
      subtaskId: 'subtask-42',
      requestId: 'req-1',
      requestedAt: new Date(Number.NaN),
    });

    await expect(
      serializer.serialize(invalid, { pattern: 'UPLOAD_SUBTASK_RESULT' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      fields: ['requestedAt'],
    });
  });
});

describe('ContractReplySerializer (ServerKafka replies)', () => {
  const serializer = new ContractReplySerializer(serde);

  it('encodes the handler reply from the instance alone (Nest passes no topic)', async () => {
    const message = await serializer.serialize(reply);

    expect(message.key).toBe('subtask-42');
    expect(message.headers).toEqual({ 'x-request-id': 'req-1' });
    expect(await serde.decode(UploadSubtaskResultReply, message.value)).toEqual(
      reply,
    );
  });

  it('turns an undefined response (error reply, end of stream) into an empty message with headers', async () => {
    await expect(serializer.serialize(undefined)).resolves.toEqual({
      key: null,
      value: null,
      headers: {},
    });
  });

  it('never rejects: a reply it cannot encode becomes an error reply with the typed error', async () => {
    const unregistered = new SubtaskResultUploaded({
      requestId: 'r',
      subtaskId: 's',
      outcome: 'STORED',
      resultVersion: 1,
      reason: null,
      isWorkerComplete: false,
      uploadedAt: new Date(0),
    });

    const message = await serializer.serialize(unregistered);

    expect(message.value).toBeNull();
    expect(
      JSON.parse(String(message.headers[KafkaHeaders.NEST_ERR])),
    ).toMatchObject({
      status: 'error',
      code: 'SCHEMA_NOT_REGISTERED',
    });
  });

  it('answers a handler that returned a plain object with an error reply', async () => {
    const message = await serializer.serialize({ outcome: 'STORED' });

    expect(
      JSON.parse(String(message.headers[KafkaHeaders.NEST_ERR])),
    ).toMatchObject({
      code: 'NOT_A_CONTRACT',
    });
  });
});
