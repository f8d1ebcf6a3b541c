import type { BenchContext } from '../context';
import type { Call } from '../measure/closed-loop';
import type { ProcessGroup } from '../measure/cpu-meter';
import { UploadApi } from './upload-api';
import { type AppName, AppProcess, freePort } from './app-process';
import { stackPids, uploadProcessGroups } from './process-groups';
import {
  createTemporaryDatabase,
  type TemporaryDatabase,
} from './temporary-database';

/**
 * The real system under the full path: a migrated temporary database, the built worker(s) and api
 * as processes on the apps' real topics, an HTTP client, and one subtask per in-flight slot.
 */
export class FullPathSystem {
  readonly workers: AppProcess[] = [];
  readonly groups: ProcessGroup[];
  /** `PUT ?wait=true` of the slot's own subtask: an upload that answered has cleared its flag. */
  readonly waitCall: Call;
  private stopping: Promise<void> | undefined;
  private currentApi: AppProcess;

  /** The api process of the moment (`restartWith` replaces it). */
  get api(): AppProcess {
    return this.currentApi;
  }

  private constructor(
    private readonly context: BenchContext,
    readonly database: TemporaryDatabase,
    api: AppProcess,
    firstWorker: AppProcess,
    private readonly apiPort: number,
    readonly http: UploadApi,
    stack: { broker?: number; postgres?: number },
    slots: readonly string[],
  ) {
    this.currentApi = api;
    this.workers.push(firstWorker);
    this.groups = uploadProcessGroups({
      api: () => this.api,
      workers: () => this.workers,
      database,
      ...(stack.broker === undefined ? {} : { broker: stack.broker }),
      ...(stack.postgres === undefined ? {} : { postmaster: stack.postgres }),
    });
    this.waitCall = (_index, slot) =>
      http.putResult(slots[slot] as string, true);
  }

  static async start(context: BenchContext): Promise<FullPathSystem> {
    const { log, options } = context;
    log('  creating and migrating a temporary database');
    const database = await createTemporaryDatabase();
    const started: AppProcess[] = [];
    try {
      const worker = await startApp(
        context,
        database,
        'subtask-worker',
        'worker 1',
      );
      started.push(worker);
      const port = await freePort();
      const api = await startApp(context, database, 'api', 'api', port);
      started.push(api);
      const http = new UploadApi(`http://127.0.0.1:${port}`, options.inFlight);
      const slots = await http.createSubtasks(
        options.inFlight,
        options.inFlight,
      );
      return new FullPathSystem(
        context,
        database,
        api,
        worker,
        port,
        http,
        await stackPids(),
        slots,
      );
    } catch (error) {
      await Promise.all(started.map((app) => app.stop()));
      await database.drop();
      throw error;
    }
  }

  /** Another worker process in the same group (`--workers`). */
  async addWorker(): Promise<void> {
    this.workers.push(
      await startApp(
        this.context,
        this.database,
        'subtask-worker',
        `worker ${this.workers.length + 1}`,
      ),
    );
  }

  /** The api and the one worker again, with `env` added (e.g. tracing on), on the same port. */
  async restartWith(env: Record<string, string>): Promise<void> {
    await this.stopExtraWorkers();
    await Promise.all([this.api.stop(), ...this.workers.map((w) => w.stop())]);
    const [worker, api] = [
      await startApp(
        this.context,
        this.database,
        'subtask-worker',
        'worker 1',
        undefined,
        env,
      ),
      await startApp(
        this.context,
        this.database,
        'api',
        'api',
        this.apiPort,
        env,
      ),
    ];
    this.workers.splice(0, this.workers.length, worker);
    this.currentApi = api;
  }

  /** Back to one worker: the CPU/RSS run and the 202 path are one-worker figures. */
  async stopExtraWorkers(): Promise<void> {
    const extra = this.workers.splice(1);
    await Promise.all(extra.map((worker) => worker.stop()));
  }

  /** Once, however often it is asked (the end of the phase, an interrupt). */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.http.close();
      await Promise.all([this.api, ...this.workers].map((app) => app.stop()));
      await this.database.drop();
    })();
    return this.stopping;
  }
}

async function startApp(
  context: BenchContext,
  database: TemporaryDatabase,
  app: AppName,
  name: string,
  apiPort?: number,
  env: Record<string, string> = {},
): Promise<AppProcess> {
  context.log(`  starting ${name}`);
  const port = apiPort ?? (await freePort());
  const own: Record<string, string> =
    app === 'api'
      ? { PORT: String(port), API_RATE_LIMIT: '0' }
      : { WORKER_HEALTH_PORT: String(port) };
  return AppProcess.start(
    app,
    name,
    {
      DATABASE_URL: database.url,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // Tells this run's members of the apps' groups from anyone else's (see ForeignApps).
      KAFKA_CLIENT_ID: context.runId,
      ...own,
      ...env,
    },
    `http://127.0.0.1:${port}/health`,
    context.options.profileDir,
  );
}
