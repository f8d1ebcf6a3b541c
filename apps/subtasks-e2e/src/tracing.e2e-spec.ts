import { randomUUID } from 'node:crypto';
import { UploadSubtaskResult } from '@subtasks/contracts';
import {
  createMigratedDatabase,
  type TemporaryDatabase,
} from '@subtasks/subtasks-db/testing';
import { ApiClient } from './support/api-client';
import {
  type AppProcess,
  eventually,
  startBothApps,
} from './support/app-process';
import { PlainProducer } from './support/kafka';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';

/*
 * Both apps as real processes exporting traces (OTLP over HTTP, the standard OTEL_* variables) to a
 * receiver this test runs: one upload is one trace across both processes.
 */

let database: TemporaryDatabase;
let receiver: OtlpReceiver;
let api: AppProcess;
let worker: AppProcess;
let http: ApiClient;
const producer = new PlainProducer();

const SPAN_KIND = { server: 2, producer: 4, consumer: 5 } as const;
const STATUS_ERROR = 2;

beforeAll(async () => {
  database = await createMigratedDatabase('subtasks_tracing_e2e');
  receiver = await OtlpReceiver.start();
  const otel = {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    // Export within a fraction of a second instead of the default 5 s.
    OTEL_BSP_SCHEDULE_DELAY: '200',
  };
  const apps = await startBothApps(database.url, otel, {
    worker: { WORKER_RETRY_ATTEMPTS: '1' },
  });
  ({ api, worker } = apps);
  http = new ApiClient(apps.apiUrl);
  await producer.connect();
});

afterAll(async () => {
  await api?.stop();
  await worker?.stop();
  await producer.disconnect();
  await receiver?.stop();
  await database?.drop();
});

/** The chain of spans from `span` up to its trace's root. */
function ancestry(span: ReceivedSpan, trace: readonly ReceivedSpan[]) {
  const chain = [span];
  for (;;) {
    const parentId = chain.at(-1)?.parentSpanId;
    const parent = trace.find((s) => s.spanId === parentId);
    if (parent === undefined) return chain;
    chain.push(parent);
  }
}

function describeTrace(trace: readonly ReceivedSpan[]): string {
  return trace
    .map(
      (s) =>
        `${s.service}: ${s.name} (${s.spanId} ← ${s.parentSpanId || 'root'})`,
    )
    .join('\n');
}

describe('tracing', () => {
  it('follows one upload through both apps, the database, the reply and the event in one trace', async () => {
    const subtask = await http.createSubtask('traced');
    const put = await http.putResult<{ requestId: string }>(
      subtask.id,
      { isWorkerComplete: true },
      '?wait=true',
    );
    expect(put.status).toBe(200);
    const requestId = put.body.requestId;

    // The api's PUT is the root; wait until the event's consumption in the api has arrived too.
    const trace = await eventually(
      async () => {
        const root = receiver.spans.find(
          (s) =>
            s.service === 'api' &&
            s.kind === SPAN_KIND.server &&
            s.parentSpanId === '' &&
            String(
              s.attributes['http.target'] ?? s.attributes['url.path'] ?? '',
            ).includes(subtask.id),
        );
        return root === undefined ? [] : receiver.traceOf(root);
      },
      // Each app exports on its own schedule: wait until no span's parent is still missing.
      (spans) =>
        spans.some(
          (s) =>
            s.service === 'api' &&
            s.kind === SPAN_KIND.consumer &&
            s.name.includes('SUBTASK_RESULT_UPLOADED'),
        ) &&
        spans.every(
          (s) =>
            s.parentSpanId === '' ||
            spans.some((parent) => parent.spanId === s.parentSpanId),
        ),
      30_000,
    ).catch((error: unknown) => {
      throw new Error(
        `${String(error)}\nspans seen:\n${describeTrace(receiver.spans)}`,
      );
    });
    const explain = `\n${describeTrace(trace)}`;

    const find = (service: string, match: (s: ReceivedSpan) => boolean) => {
      const found = trace.find((s) => s.service === service && match(s));
      if (found === undefined)
        throw new Error(`no such ${service} span in the trace:${explain}`);
      return found;
    };
    const root = find('api', (s) => s.kind === SPAN_KIND.server);
    const sendCommand = find(
      'api',
      (s) =>
        s.kind === SPAN_KIND.producer &&
        s.name.includes(UploadSubtaskResult.topic),
    );
    const consume = find(
      'subtask-worker',
      (s) =>
        s.kind === SPAN_KIND.consumer &&
        s.name.includes(UploadSubtaskResult.topic),
    );
    const handle = find(
      'subtask-worker',
      (s) => s.name === `handle ${UploadSubtaskResult.topic}`,
    );
    const store = find('subtask-worker', (s) =>
      String(
        s.attributes['db.statement'] ?? s.attributes['db.query.text'] ?? '',
      ).includes('store_result_announced'),
    );
    const sendReply = find(
      'subtask-worker',
      (s) => s.kind === SPAN_KIND.producer && s.name.includes('.reply'),
    );
    const sendEvent = find(
      'subtask-worker',
      (s) =>
        s.kind === SPAN_KIND.producer &&
        s.name.includes('SUBTASK_RESULT_UPLOADED'),
    );
    const replyConsumed = find(
      'api',
      (s) => s.kind === SPAN_KIND.consumer && s.name.includes('.reply'),
    );
    const eventConsumed = find(
      'api',
      (s) =>
        s.kind === SPAN_KIND.consumer &&
        s.name.includes('SUBTASK_RESULT_UPLOADED'),
    );
    const settle = find('api', (s) =>
      /UPDATE subtasks s/.test(
        String(
          s.attributes['db.statement'] ?? s.attributes['db.query.text'] ?? '',
        ),
      ),
    );

    // Parent → child: PUT → send command → worker handles → stores, replies and announces.
    const chainOf = (span: ReceivedSpan) =>
      ancestry(span, trace).map((s) => s.spanId);
    expect(chainOf(sendCommand)).toContain(root.spanId);
    expect(chainOf(handle)).toEqual(
      expect.arrayContaining([consume.spanId, sendCommand.spanId, root.spanId]),
    );
    for (const child of [store, sendEvent])
      expect(chainOf(child)).toContain(handle.spanId);
    // Nest sends the reply once the handler's result is in, under the consumer's span.
    expect(chainOf(sendReply)).toContain(consume.spanId);
    expect(chainOf(replyConsumed)).toContain(sendReply.spanId);
    expect(chainOf(eventConsumed)).toContain(sendEvent.spanId);
    expect(chainOf(settle)).toContain(root.spanId);
    expect(ancestry(root, trace)).toHaveLength(1);

    // The upload is named on both sides.
    for (const named of [
      handle,
      trace.find(
        (s) => s.service === 'api' && s.attributes['subtask.id'] !== undefined,
      ),
    ])
      expect(named?.attributes).toMatchObject({
        'subtask.id': subtask.id,
        'upload.request_id': requestId,
      });

    // Logs on the path carry the trace: the worker's line about this upload names this trace.
    await worker.waitForLog({ requestId, trace_id: root.traceId });
  });

  it("ends a dead-lettered command's trace in a span marked as an error", async () => {
    await producer.sendRaw(
      UploadSubtaskResult.topic,
      Buffer.from('not avro'),
      randomUUID(),
    );

    const failed = await eventually(
      async () =>
        receiver.spans.find(
          (s) =>
            s.service === 'subtask-worker' &&
            s.kind === SPAN_KIND.consumer &&
            s.statusCode === STATUS_ERROR,
        ),
      (span) => span !== undefined,
      30_000,
    );
    expect(failed?.statusMessage).toMatch(/^NO_MAGIC_BYTE/);
    const parked = receiver.spans.find(
      (s) =>
        s.traceId === failed?.traceId &&
        s.kind === SPAN_KIND.producer &&
        s.name.includes(`${UploadSubtaskResult.topic}.dlq`),
    );
    expect(parked).toBeDefined();
  });
});
