import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from '@subtasks/tool-stack';

export const workspaceRoot = path.resolve(__dirname, '..', '..', '..', '..');

export type LogLine = Record<string, unknown> & { msg?: string };

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  forced: boolean;
}

/** How a process stopped by SIGTERM should end: by the re-raised signal or exit code 0, in time. */
export const CLEAN_STOP = { forced: false } as const;

/**
 * One app as a real process: the `nx build` output run with node, exactly what `nx serve` runs.
 * Collects its JSON log lines so tests can assert on what it did.
 */
export class AppProcess {
  readonly lines: LogLine[] = [];
  private output = '';
  private readonly exited: Promise<ProcessExit>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) =>
        resolve({ code, signal, forced: false }),
      ),
    );
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString();
      const complete = this.output.split('\n');
      this.output = complete.pop() ?? '';
      for (const line of complete) this.lines.push(parseLine(line));
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
  }

  static async start(
    app: 'api' | 'subtask-worker',
    env: Record<string, string>,
    healthUrl: string,
  ): Promise<AppProcess> {
    const main = path.join(workspaceRoot, 'dist', 'apps', app, 'main.js');
    const child = spawn(process.execPath, [main], {
      cwd: workspaceRoot,
      env: { ...process.env, NODE_ENV: 'development', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = new AppProcess(app, child);
    await started.waitUntilHealthy(healthUrl);
    return started;
  }

  /**
   * Starts the app and waits for it to exit on its own (a boot that must fail): its exit code and
   * everything it printed, or a failure when it is still running after `timeoutMs`.
   */
  static async runToExit(
    app: 'api' | 'subtask-worker',
    env: Record<string, string>,
    timeoutMs = 60_000,
  ): Promise<{ code: number | null; output: string }> {
    const main = path.join(workspaceRoot, 'dist', 'apps', app, 'main.js');
    const child = spawn(process.execPath, [main], {
      cwd: workspaceRoot,
      env: { ...process.env, NODE_ENV: 'development', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await new Promise<number | null>((resolve) =>
      child.on('exit', (exitCode) => resolve(exitCode)),
    );
    clearTimeout(timer);
    if (code === null)
      throw new Error(
        `${app} was still running after ${timeoutMs} ms:\n${output}`,
      );
    return { code, output };
  }

  /** Everything the process printed so far, one line each. */
  printed(): string {
    return this.lines.map((line) => JSON.stringify(line)).join('\n');
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Lines whose fields include all of `fields` (a RegExp matches a string field). */
  logsMatching(fields: Record<string, unknown>): LogLine[] {
    return this.lines.filter((line) =>
      Object.entries(fields).every(([key, value]) => {
        const actual = line[key];
        return value instanceof RegExp
          ? typeof actual === 'string' && value.test(actual)
          : actual === value;
      }),
    );
  }

  async waitForLog(
    fields: Record<string, unknown>,
    timeoutMs = 30_000,
  ): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [found] = this.logsMatching(fields);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `${this.name}: no log line with ${JSON.stringify(fields)}\n${this.tail()}`,
        );
      }
      await sleep(100);
    }
  }

  /**
   * SIGTERM, as an orchestrator stops it. Nest closes the app, then re-raises the signal, so a clean
   * stop ends by SIGTERM (or code 0) before the SIGKILL deadline; `forced` says the deadline hit.
   */
  async stop(timeoutMs = 20_000): Promise<ProcessExit> {
    if (this.child.exitCode !== null || this.child.signalCode !== null)
      return this.exited;
    let forced = false;
    const timer = setTimeout(() => {
      forced = true;
      this.child.kill('SIGKILL');
    }, timeoutMs);
    this.child.kill('SIGTERM');
    try {
      return { ...(await this.exited), forced };
    } finally {
      clearTimeout(timer);
    }
  }

  tail(lines = 30): string {
    return this.lines
      .slice(-lines)
      .map((l) => JSON.stringify(l))
      .join('\n');
  }

  private async waitUntilHealthy(
    url: string,
    timeoutMs = 90_000,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(
          `${this.name} exited with ${this.child.exitCode} during start:\n${this.tail()}`,
        );
      }
      try {
        const response = await fetch(url, {
          signal: AbortSignal.timeout(2_000),
        });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
    this.child.kill('SIGKILL');
    throw new Error(
      `${this.name} was not healthy at ${url} within ${timeoutMs} ms:\n${this.tail()}`,
    );
  }
}

function parseLine(line: string): LogLine {
  try {
    const parsed: unknown = JSON.parse(line);
    if (parsed && typeof parsed === 'object') return parsed as LogLine;
  } catch {
    // a line that is not JSON (e.g. a crash before the logger exists)
  }
  return { msg: line };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export { freePort };

/**
 * The api alone, without a worker or completion consumer: uploads end by the reply timeout and the
 * reconciler, within seconds. For tests of its HTTP edge and its database handling.
 */
export async function startLoneApi(
  databaseUrl: string,
  extra: Record<string, string> = {},
): Promise<{ api: AppProcess; port: number }> {
  const port = await freePort();
  const api = await AppProcess.start(
    'api',
    {
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      API_RATE_LIMIT: '0',
      CONSUME_COMPLETION_EVENTS: 'false',
      UPLOAD_REPLY_TIMEOUT_MS: '1000',
      UPLOAD_DEADLINE_MS: '2000',
      RECONCILE_INTERVAL_MS: '500',
      ...extra,
    },
    `http://127.0.0.1:${port}/health`,
  );
  return { api, port };
}

/** Both apps on free ports against `databaseUrl`, with `env` (and each app's own extra settings). */
export async function startBothApps(
  databaseUrl: string,
  env: Record<string, string> = {},
  own: { api?: Record<string, string>; worker?: Record<string, string> } = {},
): Promise<{
  api: AppProcess;
  worker: AppProcess;
  apiUrl: string;
  workerUrl: string;
}> {
  const [apiPort, workerPort] = [await freePort(), await freePort()];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const workerUrl = `http://127.0.0.1:${workerPort}`;
  const [api, worker] = await Promise.all([
    AppProcess.start(
      'api',
      { ...env, ...own.api, DATABASE_URL: databaseUrl, PORT: String(apiPort) },
      `${apiUrl}/health`,
    ),
    AppProcess.start(
      'subtask-worker',
      {
        ...env,
        ...own.worker,
        DATABASE_URL: databaseUrl,
        WORKER_HEALTH_PORT: String(workerPort),
      },
      `${workerUrl}/health`,
    ),
  ]);
  return { api, worker, apiUrl, workerUrl };
}

/** Polls `read` until `done` holds, or fails with the last value seen. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await read();
    if (done(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(
        `condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`,
      );
    }
    await sleep(200);
  }
}
