import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ApiClient } from '../../support/api-client';
import {
  AppProcess,
  type LogLine,
  freePort,
  sleep,
} from '../../support/app-process';

/** Extra environment per app, on top of the suite's conventions. */
export interface SystemSettings {
  readonly api?: Readonly<Record<string, string>>;
  readonly worker?: Readonly<Record<string, string>>;
  /** Only for the first worker process, not for its restarts (a fault hook). */
  readonly firstWorker?: Readonly<Record<string, string>>;
}

const API_DEFAULTS = {
  API_RATE_LIMIT: '0',
  LOG_LEVEL: 'warn',
  UPLOAD_REPLY_TIMEOUT_MS: '5000',
  UPLOAD_DEADLINE_MS: '20000',
  RECONCILE_INTERVAL_MS: '1000',
};

const WORKER_DEFAULTS = {
  LOG_LEVEL: 'warn',
  WORKER_RETRY_BASE_MS: '100',
};

type AppName = 'api' | 'subtask-worker';

function isRunning(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Both apps as real processes on one scenario's database, on ports that stay the same across
 * restarts (so the load keeps talking to the api it knew). Every process ever started is kept, for
 * its log lines.
 */
export class SystemUnderTest {
  readonly http: ApiClient;
  readonly baseUrl: string;
  private readonly processes: AppProcess[] = [];
  private current: Partial<Record<AppName, AppProcess>> = {};

  /** Both apps' KAFKA_CLIENT_ID: tells their group members from any other test's. */
  readonly clientId = `subtask-faults-${randomBytes(4).toString('hex')}`;

  private constructor(
    readonly databaseUrl: string,
    private readonly settings: SystemSettings,
    readonly apiPort: number,
    readonly workerPort: number,
  ) {
    this.baseUrl = `http://127.0.0.1:${apiPort}`;
    this.http = new ApiClient(this.baseUrl);
  }

  static async start(
    databaseUrl: string,
    settings: SystemSettings = {},
  ): Promise<SystemUnderTest> {
    const system = new SystemUnderTest(
      databaseUrl,
      settings,
      await freePort(),
      await freePort(),
    );
    const started = await Promise.allSettled([
      system.startApi(),
      system.startWorker(settings.firstWorker),
    ]);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      // The one that did start would stay in the apps' groups and disturb the next scenario.
      await system.stop();
      throw failed.reason;
    }
    return system;
  }

  /** Starts the api and resolves once it is healthy, with the moment it was spawned. */
  startApi(extra: Record<string, string> = {}): Promise<number> {
    return this.launch('api', {
      ...API_DEFAULTS,
      KAFKA_CLIENT_ID: this.clientId,
      DATABASE_URL: this.databaseUrl,
      PORT: String(this.apiPort),
      ...this.settings.api,
      ...extra,
    });
  }

  startWorker(extra: Record<string, string> = {}): Promise<number> {
    return this.launch('subtask-worker', {
      ...WORKER_DEFAULTS,
      KAFKA_CLIENT_ID: this.clientId,
      DATABASE_URL: this.databaseUrl,
      WORKER_HEALTH_PORT: String(this.workerPort),
      ...this.settings.worker,
      ...extra,
    });
  }

  /** kill -9, resolved once the process is gone. */
  async kill(app: AppName): Promise<void> {
    const running = this.current[app];
    if (!running?.pid) throw new Error(`${app} is not running`);
    process.kill(running.pid, 'SIGKILL');
    await running.stop();
    delete this.current[app];
  }

  /** Resolves when the app has died on its own (a fault hook), or fails after `timeoutMs`. */
  async waitForDeath(app: AppName, timeoutMs: number): Promise<void> {
    const running = this.current[app];
    const deadline = Date.now() + timeoutMs;
    while (isRunning(running?.pid)) {
      if (Date.now() > deadline)
        throw new Error(`${app} still runs after ${timeoutMs} ms`);
      await sleep(20);
    }
    await running?.stop();
    delete this.current[app];
  }

  /** Every log line of every process this system started, killed ones included. */
  logs(app?: AppName): LogLine[] {
    return this.processes
      .filter((p) => app === undefined || p.name === app)
      .flatMap((p) => p.lines);
  }

  /** Writes every process's log lines under `dir` (one file per process), for a failure's evidence. */
  saveLogs(dir: string): string[] {
    mkdirSync(dir, { recursive: true });
    return this.processes.map((p, index) => {
      const file = path.join(dir, `${index + 1}-${p.name}.log`);
      writeFileSync(file, `${p.printed()}\n`);
      return file;
    });
  }

  async stop(): Promise<void> {
    await Promise.all(Object.values(this.current).map((p) => p.stop()));
    this.current = {};
  }

  private async launch(
    app: AppName,
    env: Record<string, string>,
  ): Promise<number> {
    const spawnedAt = Date.now();
    const port = app === 'api' ? this.apiPort : this.workerPort;
    const started = await AppProcess.start(
      app,
      env,
      `http://127.0.0.1:${port}/health`,
    );
    this.processes.push(started);
    this.current[app] = started;
    return spawnedAt;
  }
}
