import type { KafkaConnection } from '@subtasks/config';
import {
  OutboxRelay,
  type OutboxStore,
  type PendingRecord,
} from './outbox-relay';

const sent: { topic: string; values: string[] }[] = [];
let sendFails = false;

jest.mock('../kafka/kafka-client', () => ({
  createKafka: () => ({
    producer: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      send: async (request: {
        topic: string;
        messages: { value: Buffer }[];
      }) => {
        if (sendFails) throw new Error('broker away');
        sent.push({
          topic: request.topic,
          values: request.messages.map((m) => m.value.toString()),
        });
      },
    }),
  }),
}));

const record = (id: number): PendingRecord => ({
  id,
  requestId: `request-${id}`,
  topic: 'EVENTS',
  key: 'k',
  headers: {},
  value: Buffer.from(`event-${id}`),
});

/** An outbox of two rows whose marking fails as often as `markFailures` says. */
function outbox(
  markFailures: number,
): OutboxStore & { pending: PendingRecord[] } {
  const store = {
    pending: [record(1), record(2)],
    async relayOutbox(
      _limit: number,
      publish: (records: PendingRecord[]) => Promise<void>,
    ) {
      if (store.pending.length === 0) return 0;
      await publish(store.pending);
      if (markFailures-- > 0) throw new Error('database away');
      const count = store.pending.length;
      store.pending = [];
      return count;
    },
    pruneOutbox: async () => 0,
    outboxBacklog: async () => store.pending.length,
  };
  return store;
}

function relay(store: OutboxStore): OutboxRelay {
  return new OutboxRelay({
    connection: {
      brokers: ['x:1'],
      requestTimeoutMs: 1_000,
    } as unknown as KafkaConnection,
    clientId: 'test',
    store,
    pollIntervalMs: 60_000,
    batchSize: 10,
    retentionMs: 60_000,
  });
}

beforeEach(() => {
  sent.length = 0;
  sendFails = false;
});

describe('OutboxRelay', () => {
  it('marks a published batch whose marking failed without publishing it again', async () => {
    const store = outbox(1);
    const subject = relay(store);

    await subject.flush(); // published, marking failed
    await subject.flush(); // marked, not published again

    expect(store.pending).toEqual([]);
    expect(sent).toEqual([{ topic: 'EVENTS', values: ['event-1', 'event-2'] }]);
  });

  it('publishes again what Kafka refused', async () => {
    const store = outbox(0);
    const subject = relay(store);

    sendFails = true;
    await subject.flush();
    expect(store.pending).toHaveLength(2);
    sendFails = false;
    await subject.flush();

    expect(store.pending).toEqual([]);
    expect(sent).toEqual([{ topic: 'EVENTS', values: ['event-1', 'event-2'] }]);
  });
});
