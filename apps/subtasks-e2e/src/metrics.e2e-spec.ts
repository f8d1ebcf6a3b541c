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
import { type Sample, scrape, total } from './support/prometheus';

/*
 * `GET /metrics` of both apps, running as real processes against the real stack: after a known
 * number of uploads (and of refused requests, and one undecodable command) each counter has moved
 * by exactly that number, and the gauges come back to rest.
 */

const UPLOADS = 12;
const COMMANDS = UploadSubtaskResult.topic;

let database: TemporaryDatabase;
let api: AppProcess;
let worker: AppProcess;
let apiUrl: string;
let workerUrl: string;
let http: ApiClient;
const producer = new PlainProducer();

beforeAll(async () => {
  database = await createMigratedDatabase('subtasks_metrics_e2e');
  ({ api, worker, apiUrl, workerUrl } = await startBothApps(
    database.url,
    {},
    { api: { API_RATE_LIMIT: '0' } },
  ));
  http = new ApiClient(apiUrl);
  await producer.connect();
});

afterAll(async () => {
  await api?.stop();
  await worker?.stop();
  await producer.disconnect();
  await database?.drop();
});

/** The change of one series between two scrapes. */
function moved(
  before: readonly Sample[],
  after: readonly Sample[],
  name: string,
  labels: Record<string, string> = {},
): number {
  return total(after, name, labels) - total(before, name, labels);
}

const UPLOAD_ROUTE = { method: 'PUT', route: '/subtasks/:id/result' };

describe('GET /metrics', () => {
  it('counts each upload, refused request and dead letter exactly once, and comes back to rest', async () => {
    // Commands and events earlier tests left unconsumed are handled first: count from apps at rest.
    const [apiBefore, workerBefore] = await Promise.all([
      eventually(
        () => scrape(apiUrl),
        (s) =>
          total(s, 'kafka_consumer_lag_messages') === 0 &&
          total(s, 'subtask_uploads_in_flight') === 0,
      ),
      eventually(
        () => scrape(workerUrl),
        (s) =>
          total(s, 'kafka_consumer_lag_messages') === 0 &&
          total(s, 'outbox_pending_messages') === 0,
      ),
    ]);

    const subtasks = await Promise.all(
      Array.from({ length: UPLOADS }, (_, i) => http.createSubtask(`m${i}`)),
    );
    const answers = await Promise.all(
      subtasks.map((s) =>
        http.putResult(s.id, { isWorkerComplete: true }, '?wait=true'),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(UPLOADS).fill(200));
    expect((await http.putResult(randomUUID(), {})).status).toBe(404);
    expect(
      (await http.putResult(randomUUID(), { isWorkerComplete: 'yes' })).status,
    ).toBe(400);
    await producer.sendRaw(COMMANDS, Buffer.from('not avro'), randomUUID());

    // Gauges read at scrape time: no flag set, no outbox backlog, every consumer group caught up.
    const apiAfter = await eventually(
      () => scrape(apiUrl),
      (s) =>
        total(s, 'subtask_uploads_in_flight') === 0 &&
        total(s, 'kafka_consumer_lag_messages') === 0 &&
        moved(apiBefore, s, 'subtask_uploads_settled_total') === UPLOADS,
    );
    const workerAfter = await eventually(
      () => scrape(workerUrl),
      (s) =>
        total(s, 'outbox_pending_messages') === 0 &&
        total(s, 'kafka_consumer_lag_messages') === 0 &&
        moved(workerBefore, s, 'messaging_dead_letters_total') === 1,
    );

    expect(moved(apiBefore, apiAfter, 'subtask_uploads_started_total')).toBe(
      UPLOADS,
    );
    expect(
      moved(apiBefore, apiAfter, 'subtask_uploads_settled_total', {
        outcome: 'STORED',
      }),
    ).toBe(UPLOADS);
    expect(
      moved(apiBefore, apiAfter, 'subtask_upload_flag_duration_seconds_count', {
        outcome: 'STORED',
      }),
    ).toBe(UPLOADS);
    expect(
      moved(apiBefore, apiAfter, 'http_request_duration_seconds_count', {
        ...UPLOAD_ROUTE,
        status_code: '200',
      }),
    ).toBe(UPLOADS);
    for (const status of ['404', '400'])
      expect(
        moved(apiBefore, apiAfter, 'http_request_duration_seconds_count', {
          ...UPLOAD_ROUTE,
          status_code: status,
        }),
      ).toBe(1);
    expect(
      moved(apiBefore, apiAfter, 'http_request_duration_seconds_count', {
        route: '/subtasks',
        status_code: '201',
      }),
    ).toBe(UPLOADS);

    expect(
      moved(
        workerBefore,
        workerAfter,
        'messaging_handler_duration_seconds_count',
        {
          topic: COMMANDS,
          outcome: 'handled',
        },
      ),
    ).toBe(UPLOADS);
    expect(
      moved(workerBefore, workerAfter, 'messaging_dead_letters_total', {
        topic: COMMANDS,
        reason: 'NO_MAGIC_BYTE',
      }),
    ).toBe(1);
    expect(
      moved(workerBefore, workerAfter, 'messaging_handler_retries_total'),
    ).toBe(0);

    // Lag is reported per partition for each group the app consumes with.
    const groupsOf = (s: readonly Sample[]) =>
      new Set(
        s
          .filter((x) => x.name === 'kafka_consumer_lag_messages')
          .map((x) => x.labels['group']),
      );
    expect(groupsOf(apiAfter)).toEqual(
      new Set(['subtask-api', 'subtask-api-client']),
    );
    expect(groupsOf(workerAfter)).toEqual(new Set(['subtask-consumer']));
    // Node's process metrics are there on both.
    for (const scraped of [apiAfter, workerAfter])
      expect(total(scraped, 'process_cpu_seconds_total')).toBeGreaterThan(0);
  });

  it('labels requests for unknown paths as unmatched, never by their URL', async () => {
    const before = await scrape(apiUrl);
    expect((await http.raw(`/no-such-path/${randomUUID()}`)).status).toBe(404);
    const after = await scrape(apiUrl);

    expect(
      moved(before, after, 'http_request_duration_seconds_count', {
        route: 'unmatched',
        status_code: '404',
      }),
    ).toBe(1);
    expect(
      after.some((s) => (s.labels['route'] ?? '').includes('no-such-path')),
    ).toBe(false);
  });
});
