import { ClientKafka, KafkaHeaders } from '@nestjs/microservices';
import { UploadSubtaskResult } from '@subtasks/contracts';
import type { ProducerRecord } from 'kafkajs';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { OutgoingMessage, toOutgoing } from '../kafka/outgoing-message';
import { ContractClientKafka } from './contract-client';

const TOPIC = UploadSubtaskResult.topic;

function outgoing(): OutgoingMessage<UploadSubtaskResult> {
  return new OutgoingMessage(
    new UploadSubtaskResult({
      subtaskId: 's-1',
      requestId: 'r-1',
      requestedAt: new Date(0),
    }),
    { 'x-request-id': 'r-1' },
  );
}

/** The client with Nest's own send/emit plumbing, and a producer that answers as told. */
function clientWith(answer: (record: ProducerRecord) => Promise<unknown>) {
  const client = new ContractClientKafka({ client: { brokers: ['x:1'] } });
  const records: ProducerRecord[] = [];
  Object.assign(client, {
    connect: async () => undefined,
    _producer: {
      send: (record: ProducerRecord) => {
        records.push(record);
        return answer(record);
      },
    },
    consumerAssignments: { [`${TOPIC}.reply`]: 2 },
    serializer: {
      serialize: (value: unknown) => {
        const { message, headers } = toOutgoing(value, 'test');
        return {
          key: message.kafkaKey,
          value: Buffer.from('v'),
          headers: { ...headers },
        };
      },
    },
  });
  const routes = Reflect.get(client, 'routingMap') as Map<
    string,
    (packet: {
      response?: unknown;
      err?: unknown;
      isDisposed?: boolean;
    }) => void
  >;
  return { client, records, routes };
}

describe('ContractClientKafka', () => {
  it('overrides the methods Nest publishes with (fails if an upgrade renames them)', () => {
    for (const method of ['publish', 'dispatchEvent']) {
      expect(typeof Reflect.get(ClientKafka.prototype, method)).toBe(
        'function',
      );
      expect(
        Object.prototype.hasOwnProperty.call(
          ContractClientKafka.prototype,
          method,
        ),
      ).toBe(true);
    }
  });

  it("sends a command with Nest's reply headers and its own, acknowledges it, and routes the reply", async () => {
    const { client, records, routes } = clientWith(async () => [
      { partition: 0 },
    ]);
    const command = outgoing();

    const reply = firstValueFrom(client.send(TOPIC, command));
    await command.acknowledged;

    expect(records).toHaveLength(1);
    const [record] = records;
    expect(record?.topic).toBe(TOPIC);
    const headers = record?.messages[0]?.headers ?? {};
    expect(headers).toMatchObject({
      'x-request-id': 'r-1',
      [KafkaHeaders.REPLY_TOPIC]: `${TOPIC}.reply`,
      [KafkaHeaders.REPLY_PARTITION]: '2',
    });
    const correlationId = String(headers[KafkaHeaders.CORRELATION_ID]);
    expect(routes.has(correlationId)).toBe(true);

    routes.get(correlationId)?.({ response: 'the reply', isDisposed: true });
    await expect(reply).resolves.toBe('the reply');
  });

  it('rejects the acknowledgement and the send when Kafka refuses the record', async () => {
    const { client } = clientWith(() =>
      Promise.reject(new Error('not enough replicas')),
    );
    const command = outgoing();

    const reply = firstValueFrom(client.send(TOPIC, command));

    await expect(command.acknowledged).rejects.toThrow('not enough replicas');
    await expect(reply).rejects.toThrow('not enough replicas');
  });

  it('acknowledges an emitted message once the producer has it', async () => {
    const { client, records } = clientWith(async () => [{ partition: 1 }]);
    const event = outgoing();

    await lastValueFrom(client.emit(TOPIC, event));

    await expect(event.acknowledged).resolves.toBeUndefined();
    expect(records[0]?.messages[0]?.headers).toEqual({ 'x-request-id': 'r-1' });
  });
});
