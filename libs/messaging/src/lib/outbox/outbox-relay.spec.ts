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

const record = (id: number, traceparent?: string): PendingRecord => ({
  id,
  requestId: `request-${id}`,
  topic: 'EVENTS',
  key: 'k',
  headers: traceparent === undefined ? {} : { traceparent },
  value: Buffer.from(`event-${id}`),
});

const TRACE_A = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const TRACE_B = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

/** An outbox of two rows (or `rows`) whose marking fails as often as `markFailures` says. */
function outbox(
  markFailures: number,
  rows: PendingRecord[] = [record(1), record(2)],
): OutboxStore & { pending: PendingRecord[] } {
  const store = {
    pending: rows,
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

  it('sends rows of one trace together and each trace in its own request, in outbox order', async () => {
    const store = outbox(0, [
      record(1, TRACE_A),
      record(2, TRACE_A),
      record(3, TRACE_B),
      record(4),
      record(5),
    ]);

    await relay(store).flush();

    expect(sent).toEqual([
      { topic: 'EVENTS', values: ['event-1', 'event-2'] },
      { topic: 'EVENTS', values: ['event-3'] },
      { topic: 'EVENTS', values: ['event-4', 'event-5'] },
    ]);
  });
});
