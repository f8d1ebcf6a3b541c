import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { workspaceRoot } from '../context';
import { callerEnvironment } from './quiet-kafkajs';

export type AppName = 'api' | 'subtask-worker';

const KEPT_LINES = 40;
/** Preloaded into a profiled app: SIGUSR2 exits normally, so that V8 writes the CPU profile. */
const PROFILE_EXIT = path.join(__dirname, 'profile-exit.cjs');

/** One built app (`dist/apps/<app>/main.js`) as a real process, as the end-to-end tests run it. */
export class AppProcess {
  private readonly lastLines: string[] = [];
  private readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    private readonly profiled: boolean,
  ) {
    this.exited = new Promise((resolve) => child.on('exit', () => resolve()));
    let partial = '';
    const keep = (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      this.lastLines.push(...lines);
      this.lastLines.splice(0, Math.max(0, this.lastLines.length - KEPT_LINES));
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  static mainOf(app: AppName): string {
    return path.join(workspaceRoot, 'dist', 'apps', app, 'main.js');
  }

  /**
   * `profileDir`: run under V8's CPU profiler, writing `<name>.cpuprofile` there when stopped.
   * `nodeArgs`: more of Node's own options (e.g. a `--require` preload).
   */
  static async start(
    app: AppName,
    name: string,
    env: Record<string, string>,
    healthUrl: string,
    profileDir?: string,
    nodeArgs: readonly string[] = [],
  ): Promise<AppProcess> {
    const main = AppProcess.mainOf(app);
    if (!existsSync(main))
      throw new Error(
        `${main} is missing: build the apps (npx nx run-many -t build -p api subtask-worker) or drop --no-build`,
      );
    const profiling =
      profileDir === undefined
        ? []
        : [
            '--cpu-prof',
            `--cpu-prof-dir=${profileDir}`,
            `--cpu-prof-name=${name.replace(/\W+/g, '-')}.cpuprofile`,
            '--require',
            PROFILE_EXIT,
          ];
    const child = spawn(process.execPath, [...profiling, ...nodeArgs, main], {
      cwd: workspaceRoot,
      env: { ...callerEnvironment(), NODE_ENV: 'development', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = new AppProcess(name, child, profileDir !== undefined);
    try {
      await started.waitUntilHealthy(healthUrl);
    } catch (error) {
      await started.stop();
      throw error;
    }
    return started;
  }

  get pid(): number {
    if (this.child.pid === undefined)
      throw new Error(`${this.name} has no pid`);
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * SIGTERM (the apps drain and close), SIGKILL if they are still up after `timeoutMs`. A profiled
   * app gets SIGUSR2 instead: Nest ends a SIGTERM by re-raising it, and V8 writes the profile only
   * on a normal exit.
   */
  async stop(timeoutMs = 20_000): Promise<void> {
    if (!this.running) return;
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    this.child.kill(this.profiled ? 'SIGUSR2' : 'SIGTERM');
    await this.exited;
    clearTimeout(timer);
  }

  tail(): string {
    return this.lastLines.join('\n');
  }

  private async waitUntilHealthy(url: string, timeoutMs = 90_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running)
        throw new Error(
          `${this.name} exited with ${String(this.child.exitCode)} during start:\n${this.tail()}`,
        );
      try {
        const response = await fetch(url, {
          signal: AbortSignal.timeout(2_000),
        });
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(
      `${this.name} was not healthy at ${url} within ${timeoutMs} ms:\n${this.tail()}`,
    );
  }
}

export { freePort } from '@subtasks/tool-stack';
