import { randomUUID } from 'node:crypto';
import { UploadSubtaskResult } from '@subtasks/contracts';
import {
  createMigratedDatabase,
  type TemporaryDatabase,
} from '@subtasks/subtasks-db/testing';
import { Client } from 'pg';
import { ApiClient, type SubtaskView } from './support/api-client';
import {
  AppProcess,
  CLEAN_STOP,
  type ProcessExit,
  eventually,
  freePort,
} from './support/app-process';
import {
  PlainProducer,
  type ReadRecord,
  latestOffsets,
  readFrom,
} from './support/kafka';

/*
 * Both apps as real processes (their build output, as `nx serve` runs it) against the real Kafka,
 * Schema Registry and PostgreSQL. Each phase restarts the apps with the settings it needs.
 */

let database: TemporaryDatabase;
let sql: Client;
let api: AppProcess | undefined;
let worker: AppProcess | undefined;
let http: ApiClient;
let apiPort: number;
let workerPort: number;
const producer = new PlainProducer();

async function startApi(env: Record<string, string>): Promise<void> {
  if (api) expectCleanStop(await api.stop());
  api = await AppProcess.start(
    'api',
    {
      DATABASE_URL: database.url,
      PORT: String(apiPort),
      RECONCILE_INTERVAL_MS: '500',
      ...env,
    },
    `http://127.0.0.1:${apiPort}/health`,
  );
}

async function startWorker(databaseUrl = database.url): Promise<void> {
  worker = await AppProcess.start(
    'subtask-worker',
    {
      DATABASE_URL: databaseUrl,
      WORKER_HEALTH_PORT: String(workerPort),
      WORKER_RETRY_ATTEMPTS: '3',
      WORKER_RETRY_BASE_MS: '50',
    },
    `http://127.0.0.1:${workerPort}/health`,
  );
}

function expectCleanStop(exit: ProcessExit | undefined): void {
  expect(exit).toMatchObject(CLEAN_STOP);
  expect(exit?.code === 0 || exit?.signal === 'SIGTERM').toBe(true);
}

async function stopWorker(): Promise<void> {
  expectCleanStop(await worker?.stop());
  worker = undefined;
}

function running(app: AppProcess | undefined): AppProcess {
  if (!app) throw new Error('the app is not running in this phase');
  return app;
}

const settled = (id: string) =>
  eventually(
    () => http.subtask(id),
    (s) => !s.uploading,
    45_000,
  );

async function resultRows(requestId: string): Promise<number> {
  const { rows } = await sql.query<{ n: string }>(
    'SELECT count(*) AS n FROM subtask_results WHERE request_id = $1',
    [requestId],
  );
  return Number(rows[0]?.n);
}

beforeAll(async () => {
  database = await createMigratedDatabase('subtasks_e2e');
  sql = new Client({ connectionString: database.url });
  await sql.connect();
  [apiPort, workerPort] = [await freePort(), await freePort()];
  http = new ApiClient(`http://127.0.0.1:${apiPort}`);
  await producer.connect();
});

afterAll(async () => {
  await api?.stop();
  await worker?.stop();
  await producer.disconnect();
  await sql?.end();
  await database?.drop();
});

afterEach(async () => {
  // No test may leave a flag set.
  const { rows } = await sql.query<{ id: string }>(
    'SELECT id FROM subtasks WHERE uploading',
  );
  expect(rows).toEqual([]);
});

describe('the upload round trip over HTTP', () => {
  it('flag true → false through the reply (request-reply: send + @MessagePattern)', async () => {
    // Events off: only the reply can clear the flag. The worker is down while the command is queued,
    // so the flag is seen set before the worker answers.
    await startApi({
      CONSUME_COMPLETION_EVENTS: 'false',
      UPLOAD_DEADLINE_MS: '120000',
    });
    const subtask = await http.createSubtask('reply path');

    const put = await http.putResult(subtask.id, { isWorkerComplete: false });
    expect(put.status).toBe(202);
    expect(await http.subtask(subtask.id)).toMatchObject({
      uploading: true,
      uploadRequestId: put.body.requestId,
    });

    await startWorker();
    expect(await settled(subtask.id)).toMatchObject({
      uploading: false,
      lastOutcome: 'STORED',
      lastError: null,
      resultVersion: 1,
      submitted: false,
    });
    await running(api).waitForLog({
      requestId: put.body.requestId,
      source: 'reply',
      msg: 'upload finished (reply): flag cleared',
    });
    // The worker's line names the same request: bound from the message, not copied by its handler.
    await running(worker).waitForLog({
      requestId: put.body.requestId,
      msg: 'upload handled',
    });
  });

  it('answers 200 with the outcome when asked to wait, and marks the subtask submitted', async () => {
    const subtask = await http.createSubtask('wait');
    const repliesFrom = await latestOffsets('UPLOAD_SUBTASK_RESULT.reply');
    const put = await http.putResult<{
      requestId: string;
      outcome: string;
      resultVersion: number;
    }>(subtask.id, { isWorkerComplete: true }, '?wait=true');
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ outcome: 'STORED', resultVersion: 1 });
    expect(await settled(subtask.id)).toMatchObject({
      submitted: true,
      resultVersion: 1,
    });

    // The reply carries its command's request id: messaging hands it on, the handler sets nothing.
    const ofThisUpload = (records: ReadRecord[]) =>
      records.filter((r) =>
        r.message.value?.includes(Buffer.from(put.body.requestId)),
      );
    const replies = await readFrom(
      'UPLOAD_SUBTASK_RESULT.reply',
      repliesFrom,
      (records) => ofThisUpload(records).length > 0,
    );
    expect(
      ofThisUpload(replies).map((r) =>
        String(r.message.headers?.['x-request-id']),
      ),
    ).toEqual([put.body.requestId]);
  });

  it('404 for an unknown subtask, 400 naming the field, 409 while an upload is in flight', async () => {
    expect((await http.putResult(randomUUID(), {})).status).toBe(404);
    const bad = await http.putResult<{ fields: string[] }>(randomUUID(), {
      isWorkerComplete: 'yes',
    });
    expect(bad).toMatchObject({
      status: 400,
      body: { fields: ['isWorkerComplete'] },
    });

    await stopWorker();
    const subtask = await http.createSubtask('concurrent');
    const first = await http.putResult(subtask.id, {});
    const second = await http.putResult<{ requestId: string; code: string }>(
      subtask.id,
      {},
    );
    expect(first.status).toBe(202);
    expect(second).toMatchObject({
      status: 409,
      body: { code: 'UPLOAD_IN_FLIGHT', requestId: first.body.requestId },
    });
    await startWorker();
    await settled(subtask.id);
  });

  it('flag true → false through the completion event alone when the reply is lost (emit + @EventPattern)', async () => {
    // The API stops waiting for the reply after 2 s; the worker is down until then, so its reply
    // reaches nobody and only the event can clear the flag.
    await stopWorker();
    await startApi({
      UPLOAD_REPLY_TIMEOUT_MS: '2000',
      UPLOAD_DEADLINE_MS: '120000',
    });
    const subtask = await http.createSubtask('event path');

    const put = await http.putResult(subtask.id, {});
    expect(put.status).toBe(202);
    expect((await http.subtask(subtask.id)).uploading).toBe(true);
    await running(api).waitForLog({
      requestId: put.body.requestId,
      msg: 'the reply did not settle the upload; the completion event or the reconciler will',
    });

    await startWorker();
    expect(await settled(subtask.id)).toMatchObject({
      lastOutcome: 'STORED',
      resultVersion: 1,
    });
    await running(api).waitForLog({
      requestId: put.body.requestId,
      msg: 'upload finished (event): flag cleared',
    });
    expect(
      running(api).logsMatching({
        requestId: put.body.requestId,
        source: 'reply',
        msg: 'upload finished (reply): flag cleared',
      }),
    ).toEqual([]);
  });

  it('flag true → false through the reconciler when the worker is down, recording the timeout', async () => {
    await stopWorker();
    await startApi({
      UPLOAD_DEADLINE_MS: '3000',
      UPLOAD_REPLY_TIMEOUT_MS: '2000',
    });
    const subtask = await http.createSubtask('reconciler path');

    const put = await http.putResult(subtask.id, {});
    expect(put.status).toBe(202);
    expect((await http.subtask(subtask.id)).uploading).toBe(true);
    const timedOut = await settled(subtask.id);
    expect(timedOut).toMatchObject({
      lastOutcome: 'TIMED_OUT',
      resultVersion: null,
    });
    expect(timedOut.lastError).toMatch(/within 3000 ms/);

    // The late worker still stores the result; its event records the true outcome (the flag stays down).
    await startWorker();
    const late = await eventually(
      () => http.subtask(subtask.id),
      (s) => s.resultVersion === 1 && s.lastOutcome === 'STORED',
    );
    expect(late).toMatchObject({ uploading: false, lastError: null });
    await running(api).waitForLog({
      requestId: put.body.requestId,
      msg: 'upload had timed out; event recorded its true outcome',
    });
  });
});

describe('the worker, fed by any Confluent client', () => {
  it('stores one result for a command delivered twice, emits one event, and handles a null key', async () => {
    const subtask = await http.createSubtask('duplicate');
    const command = new UploadSubtaskResult({
      subtaskId: subtask.id,
      requestId: randomUUID(),
      isWorkerComplete: false,
      requestedAt: new Date(),
    });
    const eventsFrom = await latestOffsets('SUBTASK_RESULT_UPLOADED');

    await producer.send(command, subtask.id);
    await producer.send(command, subtask.id);
    await running(worker).waitForLog({
      requestId: command.requestId,
      outcome: 'ALREADY_STORED',
    });
    expect(await resultRows(command.requestId)).toBe(1);
    expect((await http.subtask(subtask.id)).resultVersion).toBe(1);

    const another = new UploadSubtaskResult({
      ...command,
      requestId: randomUUID(),
      requestedAt: new Date(),
    });
    await producer.send(another, null);
    const view = await eventually(
      () => http.subtask(subtask.id),
      (s: SubtaskView) => s.resultVersion === 2,
    );
    expect(view.uploading).toBe(false);

    const events = await readFrom(
      'SUBTASK_RESULT_UPLOADED',
      eventsFrom,
      () => false,
      5_000,
    );
    const mentions = (requestId: string) =>
      events.filter((e) => e.message.value?.includes(Buffer.from(requestId)))
        .length;
    expect(mentions(command.requestId)).toBe(1);
    expect(mentions(another.requestId)).toBe(1);
    const event = events.find((e) =>
      e.message.value?.includes(Buffer.from(command.requestId)),
    );
    expect(String(event?.message.headers?.['x-request-id'])).toBe(
      command.requestId,
    );
  });

  it('parks a poison message in the dead-letter topic with the reason, and processes the next one', async () => {
    const subtask = await http.createSubtask('poison');
    const deadLettersFrom = await latestOffsets('UPLOAD_SUBTASK_RESULT.dlq');
    const poison = Buffer.from(`not avro ${randomUUID()}`);

    await producer.sendRaw('UPLOAD_SUBTASK_RESULT', poison, subtask.id);
    const good = new UploadSubtaskResult({
      subtaskId: subtask.id,
      requestId: randomUUID(),
      isWorkerComplete: true,
      requestedAt: new Date(),
    });
    await producer.send(good, subtask.id);

    expect(
      await eventually(
        () => http.subtask(subtask.id),
        (s) => s.resultVersion === 1,
      ),
    ).toMatchObject({
      submitted: true,
    });
    const letters = await readFrom(
      'UPLOAD_SUBTASK_RESULT.dlq',
      deadLettersFrom,
      (r) => r.some((l) => l.message.value?.equals(poison)),
    );
    const letter = letters.find((l) => l.message.value?.equals(poison));
    expect(letter).toBeDefined();
    const headers = Object.fromEntries(
      Object.entries((letter?.message ?? { headers: {} }).headers ?? {}).map(
        ([k, v]) => [k, String(v)],
      ),
    );
    expect(headers).toMatchObject({
      'x-dead-letter-code': 'NO_MAGIC_BYTE',
      'x-dead-letter-source-topic': 'UPLOAD_SUBTASK_RESULT',
    });
    expect(headers['x-dead-letter-reason']).toMatch(/magic byte/i);
    expect(headers['x-dead-letter-source-offset']).toMatch(/^\d+$/);
    expect(headers['x-dead-letter-source-partition']).toMatch(/^\d$/);
  });
});

describe('the worker when its database goes away', () => {
  it('waits the outage out (health says why), parks nothing, and stores the command once it is back', async () => {
    await stopWorker();
    const flaky = await createMigratedDatabase('subtasks_e2e_flaky');
    const flakySql = new Client({ connectionString: flaky.url });
    await flakySql.connect();
    const subtaskId = randomUUID();
    await flakySql.query(
      "INSERT INTO subtasks (id, title, updated_at) VALUES ($1, 'outage', now())",
      [subtaskId],
    );
    await flakySql.end();
    await startWorker(flaky.url);
    const name = new URL(flaky.url).pathname.slice(1);
    await sql.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    await sql.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
      [name],
    );
    const deadLettersFrom = await latestOffsets('UPLOAD_SUBTASK_RESULT.dlq');
    const command = new UploadSubtaskResult({
      subtaskId,
      requestId: randomUUID(),
      requestedAt: new Date(),
    });
    try {
      await producer.send(command, subtaskId);

      await running(worker).waitForLog({
        msg: /handling failed \(transient, attempt 2\)/,
      });
      const health = await fetch(`http://127.0.0.1:${workerPort}/health`);
      expect(health.status).toBe(503);
      const body = (await health.json()) as {
        error: { processing?: { message?: string } };
      };
      expect(body.error.processing?.message).toMatch(
        /UPLOAD_SUBTASK_RESULT\[\d+\]@\d+: .*not currently accepting connections/,
      );
    } finally {
      await sql.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    }
    const stored = await eventually(
      async () => {
        const check = new Client({ connectionString: flaky.url });
        await check.connect();
        try {
          const { rows } = await check.query<{ n: string }>(
            'SELECT count(*) AS n FROM subtask_results WHERE request_id = $1',
            [command.requestId],
          );
          return Number(rows[0]?.n);
        } finally {
          await check.end();
        }
      },
      (n) => n === 1,
      30_000,
    );
    expect(stored).toBe(1);
    const parked = await readFrom(
      'UPLOAD_SUBTASK_RESULT.dlq',
      deadLettersFrom,
      (records) =>
        records.some((r) =>
          r.message.value?.includes(Buffer.from(command.requestId)),
        ),
      3_000,
    );
    expect(
      parked.filter((r) =>
        r.message.value?.includes(Buffer.from(command.requestId)),
      ),
    ).toEqual([]);

    await stopWorker();
    await flaky.drop();
    await startWorker();
  });
});

describe('operating it', () => {
  it('reports PostgreSQL, Kafka and the registry in both health endpoints', async () => {
    for (const [url, parts] of [
      [
        `http://127.0.0.1:${apiPort}/health`,
        ['consumers', 'kafka', 'postgres', 'processing', 'schemaRegistry'],
      ],
      [
        `http://127.0.0.1:${workerPort}/health`,
        ['consumers', 'kafka', 'postgres', 'processing', 'schemaRegistry'],
      ],
    ] as const) {
      const health = (await (
        await eventually(
          () => fetch(url),
          (answer) => answer.status === 200,
        )
      ).json()) as {
        status: string;
        info: Record<string, unknown>;
      };
      expect(health.status).toBe('ok');
      expect(Object.keys(health.info).sort()).toEqual(parts);
    }
  });

  it('SIGTERM stops both apps cleanly', async () => {
    expectCleanStop(await running(worker).stop());
    expectCleanStop(await running(api).stop());
    worker = undefined;
    api = undefined;
  });
});
