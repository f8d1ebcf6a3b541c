import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_TOPICS, UploadSubtaskResult } from '@subtasks/contracts';
import { createKafka } from '@subtasks/messaging';
import {
  createMigratedDatabase,
  type TemporaryDatabase,
} from '@subtasks/subtasks-db/testing';
import {
  clusterDown,
  clusterUp,
  killBroker,
  secureClientEnvironment,
  secureCluster,
  startBroker,
  waitForBrokerInIsr,
} from '@subtasks/tool-stack';
import { kafkaConnectionFromEnvironment } from '@subtasks/config';
import { logLevel } from 'kafkajs';
import { Client } from 'pg';
import { ApiClient } from './support/api-client';
import { AppProcess, eventually, freePort } from './support/app-process';
import { countBy, longestStall, uploadAll } from './support/load';

/*
 * Deployable on a real cluster: three KRaft brokers with SASL_SSL (SCRAM-SHA-512) and a registry over
 * https with basic auth, all started by the stack with a CA of its own; the apps configured only by
 * the documented variables. Boot failures say what to fix and never print a secret; two api and two
 * worker processes share the topics while one broker is killed and comes back.
 */

const UPLOADS = 600;
const IN_FLIGHT = 24;

let startedCluster = false;
let secure: Record<string, string>;
let database: TemporaryDatabase;
let sql: Client;
let pki: string;
const processes: AppProcess[] = [];

beforeAll(async () => {
  const up = await clusterUp({
    selection: secureCluster,
    log: () => undefined,
  });
  startedCluster = up.started.length > 0;
  secure = secureClientEnvironment();
  database = await createMigratedDatabase('subtasks_cluster');
  sql = new Client({ connectionString: database.url });
  await sql.connect();
  pki = mkdtempSync(join(tmpdir(), 'untrusted-ca-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(pki, 'ca.key'),
      '-out',
      join(pki, 'ca.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=a CA nobody trusts',
    ],
    { stdio: 'pipe' },
  );
}, 240_000);

afterAll(async () => {
  await Promise.all(processes.map((app) => app.stop()));
  await sql?.end();
  await database?.drop();
  rmSync(pki, { recursive: true, force: true });
  if (startedCluster)
    await clusterDown({ selection: secureCluster, log: () => undefined });
}, 120_000);

function secrets(): string[] {
  return [
    secure['KAFKA_SASL_PASSWORD'],
    secure['SCHEMA_REGISTRY_PASSWORD'],
  ].filter((value): value is string => value !== undefined && value !== '');
}

function appEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...secure,
    DATABASE_URL: database.url,
    API_RATE_LIMIT: '0',
    UPLOAD_DEADLINE_MS: '180000',
    RECONCILE_INTERVAL_MS: '1000',
    ...extra,
  };
}

async function startApi(): Promise<{ app: AppProcess; http: ApiClient }> {
  const port = await freePort();
  const app = await AppProcess.start(
    'api',
    appEnv({ PORT: String(port) }),
    `http://127.0.0.1:${port}/health`,
  );
  processes.push(app);
  return { app, http: new ApiClient(`http://127.0.0.1:${port}`) };
}

async function startWorker(): Promise<AppProcess> {
  const port = await freePort();
  const app = await AppProcess.start(
    'subtask-worker',
    appEnv({ WORKER_HEALTH_PORT: String(port) }),
    `http://127.0.0.1:${port}/health`,
  );
  processes.push(app);
  return app;
}

describe('boot against the secured cluster, configured wrong', () => {
  it.each<
    [string, (env: Record<string, string>) => Record<string, string>, RegExp]
  >([
    [
      'a wrong SASL password',
      () => ({ KAFKA_SASL_PASSWORD: 'wrong-sasl-password-123' }),
      /Kafka refused to authenticate user "app" \(scram-sha-512\): check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/,
    ],
    [
      'a CA that did not sign the brokers’ certificates',
      () => ({ KAFKA_SSL_CA_FILE: join(pki, 'ca.pem') }),
      /The TLS certificate of broker 127\.0\.0\.1:\d+ is not trusted: it is not signed by the CA in KAFKA_SSL_CA_FILE \(.*ca\.pem\) \(SELF_SIGNED_CERT_IN_CHAIN\)/,
    ],
    [
      'no TLS and no SASL against a SASL_SSL listener',
      () => ({
        KAFKA_SSL: 'false',
        KAFKA_SSL_CA_FILE: '',
        KAFKA_SASL_MECHANISM: '',
        KAFKA_SASL_USERNAME: '',
        KAFKA_SASL_PASSWORD: '',
      }),
      /No broker of KAFKA_BROKERS \(.*\) could be used: .*If the listener expects TLS or SASL, set KAFKA_SSL and KAFKA_SASL_MECHANISM/,
    ],
    [
      'a wrong registry password',
      () => ({ SCHEMA_REGISTRY_PASSWORD: 'wrong-registry-password-123' }),
      /the schema registry at https:\/\/127\.0\.0\.1:\d+\/apis\/ccompat\/v7 refused the credentials \(HTTP 401.*check SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD/,
    ],
    [
      'a registry CA that did not sign its certificate',
      () => ({ SCHEMA_REGISTRY_CA_FILE: join(pki, 'ca.pem') }),
      /the TLS certificate of the schema registry at https:\/\/127\.0\.0\.1:\d+\/apis\/ccompat\/v7 is not trusted .*check SCHEMA_REGISTRY_CA_FILE/,
    ],
  ])(
    'fails at boot with %s, saying what to fix, never a secret',
    async (_, override, expected) => {
      const port = await freePort();
      const { code, output } = await AppProcess.runToExit(
        'api',
        appEnv({ PORT: String(port), ...override(secure) }),
      );
      expect(code).toBe(1);
      expect(output).toMatch(expected);
      for (const secret of [
        ...secrets(),
        'wrong-sasl-password-123',
        'wrong-registry-password-123',
      ])
        expect(output).not.toContain(secret);
    },
    90_000,
  );
});

describe('two api and two worker processes on the secured three-broker cluster', () => {
  it('answers every upload, stores each accepted one once and clears every flag while a broker is killed and restarted', async () => {
    const [first, second] = [await startApi(), await startApi()];
    const [staying, leaving] = [await startWorker(), await startWorker()];
    const workers = [staying, leaving];
    const apis = [first.http, second.http];

    const created: string[] = [];
    for (let i = 0; i < UPLOADS; i++) {
      const api = i % 2 === 0 ? first.http : second.http;
      created.push((await api.createSubtask(`cluster ${i}`)).id);
    }

    const victim = await busiestBroker();
    let killedAt = 0;
    let restartedAt = 0;
    let backInIsrMs = 0;
    let leftAt = 0;
    const faults: Promise<void>[] = [];
    const answers = await uploadAll({
      apis,
      subtaskIds: created,
      inFlight: IN_FLIGHT,
      onAnswer: (so) => {
        const n = so.length;
        if (n === Math.floor(UPLOADS * 0.25)) {
          faults.push(
            killBroker(victim).then(() => void (killedAt = Date.now())),
          );
        }
        if (n === Math.floor(UPLOADS * 0.5)) {
          faults.push(
            Promise.all(faults).then(async () => {
              await startBroker(victim);
              restartedAt = Date.now();
              await waitForBrokerInIsr(victim, { topics: ALL_TOPICS });
              backInIsrMs = Date.now() - restartedAt;
            }),
          );
        }
        if (n === Math.floor(UPLOADS * 0.75)) {
          // A worker leaves: its partitions move to the other one.
          faults.push(leaving.stop().then(() => void (leftAt = Date.now())));
        }
      },
    });
    await Promise.all(faults);

    const accepted = answers.filter(
      (a) => a.status === 200 || a.status === 202,
    );
    const unsettled = await eventually(
      () => flagsLeft(),
      (n) => n === 0,
      180_000,
    );
    const stored = await storedByRequest();
    const lost = accepted.filter((a) => stored.get(a.requestId ?? '') !== 1);
    const twice = [...stored.values()].filter((n) => n > 1).length;
    const refusedButStored = answers.filter(
      (a) => a.status === 503 && stored.has(a.requestId ?? ''),
    ).length;
    const handledBy = workers.map(
      (worker) => worker.logsMatching({ msg: 'upload handled' }).length,
    );
    const repliedTo = [first.app, second.app].map(
      (api) =>
        api.logsMatching({ msg: 'upload finished (reply): flag cleared' })
          .length,
    );

    const waited = answers.filter((a) => a.wait);
    const waitedInVain = waited.filter((a) => a.status === 202);
    const explained = new Set(
      [first.app, second.app].flatMap((api) =>
        [
          ...api.logsMatching({ msg: /^the reply did not settle the upload/ }),
          ...api.logsMatching({
            msg: /^upload command may or may not be published/,
          }),
        ].map((line) => line['requestId']),
      ),
    );
    const unexplained = waitedInVain.filter((a) => !explained.has(a.requestId));

    const figures = {
      uploads: answers.length,
      answers: countBy(answers, (a) => `${a.status}${a.wait ? ' wait' : ''}`),
      resentAfterClosedConnection: answers.filter((a) => a.retried).length,
      accepted: accepted.length,
      stored: stored.size,
      lost: lost.length,
      storedTwice: twice,
      flagsLeft: unsettled,
      refusedButStored,
      waitedInVain: waitedInVain.length,
      handledByWorker: handledBy,
      replyClearedOnApi: repliedTo,
      killedBroker: victim,
      longestStallMs: longestStall(answers),
      brokerBackInIsrMs: backInIsrMs,
      killToRestartMs: restartedAt - killedAt,
      workerLeftAfterKillMs: leftAt - killedAt,
    };
    console.log(
      `secured 3-broker cluster, 2 api + 2 workers:\n${JSON.stringify(figures, null, 2)}`,
    );

    expect(
      answers.filter(
        (a) => a.status === 0 || (a.status >= 500 && a.status !== 503),
      ),
    ).toEqual([]);
    expect(answers.filter((a) => ![200, 202, 503].includes(a.status))).toEqual(
      [],
    );
    // A waiting caller gets 202 only when its api said why (a publish the killed broker never
    // confirmed, or a reply that did not come in time): 13 of 300 in a CI run. Replies routed to
    // the other api instance would time out about half the waiting callers.
    expect(unexplained).toEqual([]);
    expect(waitedInVain.length).toBeLessThanOrEqual(waited.length * 0.2);
    expect(accepted.length).toBeGreaterThanOrEqual(UPLOADS * 0.9);
    expect(lost).toEqual([]);
    expect(twice).toBe(0);
    expect(unsettled).toBe(0);
    expect(handledBy.every((n) => n > 0)).toBe(true);
    expect(repliedTo.every((n) => n > 0)).toBe(true);
    const everything = processes.map((app) => app.printed()).join('\n');
    for (const secret of secrets()) expect(everything).not.toContain(secret);
  }, 600_000);
});

async function flagsLeft(): Promise<number> {
  const { rows } = await sql.query<{ n: string }>(
    'SELECT count(*) AS n FROM subtasks WHERE uploading',
  );
  return Number(rows[0]?.n);
}

async function storedByRequest(): Promise<Map<string, number>> {
  const { rows } = await sql.query<{ request_id: string; n: string }>(
    'SELECT request_id, count(*) AS n FROM subtask_results GROUP BY request_id',
  );
  return new Map(rows.map((row) => [row.request_id, Number(row.n)]));
}

/** The node leading the most partitions of the command topic: killing it moves real leadership. */
async function busiestBroker(): Promise<number> {
  const admin = createKafka(kafkaConnectionFromEnvironment(secure), {
    clientId: 'subtasks-e2e',
    purpose: 'leaders',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const metadata = await admin.fetchTopicMetadata({
      topics: [UploadSubtaskResult.topic],
    });
    const leaders = countBy(metadata.topics[0]?.partitions ?? [], (partition) =>
      String(partition.leader),
    );
    const [busiest] = Object.entries(leaders).sort((a, b) => b[1] - a[1]);
    return Number(busiest?.[0] ?? 1);
  } finally {
    await admin.disconnect();
  }
}
