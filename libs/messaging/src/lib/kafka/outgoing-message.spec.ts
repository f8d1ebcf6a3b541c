import { UploadSubtaskResult } from '@subtasks/contracts';
import { OutgoingMessage } from './outgoing-message';

const command = new UploadSubtaskResult({
  subtaskId: 's-1',
  requestId: 'r-1',
  requestedAt: new Date(0),
});
const outgoing = () => new OutgoingMessage(command);

describe('OutgoingMessage.headers', () => {
  it("carry the message's own request id, and what the caller adds", () => {
    expect(outgoing().headers).toEqual({ 'x-request-id': 'r-1' });
    const traced = new OutgoingMessage(outgoing().message, {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    expect(traced.headers).toEqual({
      'x-request-id': 'r-1',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
  });

  it("let a carried request id win over the message's (a reply keeps its command's)", () => {
    const carried = new OutgoingMessage(outgoing().message, {
      'x-request-id': 'from-the-command',
    });
    expect(carried.headers).toEqual({ 'x-request-id': 'from-the-command' });
  });
});

describe('OutgoingMessage.acknowledged', () => {
  it('resolves when Kafka acknowledged the record, asked before or after', async () => {
    const askedFirst = outgoing();
    const waiting = askedFirst.acknowledged;
    askedFirst.settled();
    await expect(waiting).resolves.toBeUndefined();

    const settledFirst = outgoing();
    settledFirst.settled();
    await expect(settledFirst.acknowledged).resolves.toBeUndefined();
  });

  it("rejects with the transport's error, asked before or after", async () => {
    const refusal = new Error('not enough replicas');
    const askedFirst = outgoing();
    const waiting = askedFirst.acknowledged;
    askedFirst.settled(refusal);
    await expect(waiting).rejects.toBe(refusal);

    const settledFirst = outgoing();
    settledFirst.settled(refusal);
    await expect(settledFirst.acknowledged).rejects.toBe(refusal);
  });

  it('keeps the first verdict and hands every caller the same promise', async () => {
    const message = outgoing();
    message.settled();
    message.settled(new Error('too late'));
    expect(message.acknowledged).toBe(message.acknowledged);
    await expect(message.acknowledged).resolves.toBeUndefined();
  });

  it('leaves no unhandled rejection when a refusal is never awaited', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      const asked = outgoing();
      void asked.acknowledged;
      asked.settled(new Error('refused'));
      outgoing().settled(new Error('refused, nobody asked'));
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
