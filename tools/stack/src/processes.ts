import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { waitUntilReady } from './net';

export interface PidRecord {
  pid: number;
  /** The address the process was started to serve, so a later run with other settings can tell. */
  url: string;
}

export function readPidFile(pidFile: string): PidRecord | undefined {
  if (!existsSync(pidFile)) return undefined;
  const [pidLine = '', url = ''] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine.trim());
  return Number.isInteger(pid) && pid > 0
    ? { pid, url: url.trim() }
    : undefined;
}

export function removePidFile(pidFile: string): void {
  rmSync(pidFile, { force: true });
}

interface ProcessInfo {
  alive: boolean;
  commandLine: string;
}

/** Zombies (exited, not yet reaped by their parent) count as dead. */
function inspectProcess(pid: number): ProcessInfo {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM')
      return { alive: false, commandLine: '' };
  }
  try {
    const line = execFileSync(
      'ps',
      ['-ww', '-o', 'stat=', '-o', 'args=', '-p', String(pid)],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    ).trim();
    const [stat = '', ...commandLine] = line.split(/\s+/);
    return {
      alive: stat !== '' && !stat.startsWith('Z'),
      commandLine: commandLine.join(' '),
    };
  } catch {
    return { alive: false, commandLine: '' };
  }
}

export function isAlive(pid: number): boolean {
  return inspectProcess(pid).alive;
}

/**
 * True when `pid` is a live process whose command line contains `marker`:
 * guards against a recycled PID now belonging to something else.
 */
export function isOurProcess(pid: number, marker: string): boolean {
  const { alive, commandLine } = inspectProcess(pid);
  return alive && commandLine.includes(marker);
}

/** Starts each run's section of a log file, so a failure report can show that run only. */
const startBanner = '=== started ';

export interface DetachedStart {
  command: string;
  args: string[];
  cwd: string;
  logFile: string;
  pidFile: string;
  url: string;
  /** Added to this process's environment; for secrets, which must not be on the (logged) command line. */
  env?: Record<string, string>;
  /** Another user to run as (only root may ask): PostgreSQL refuses to run as root. */
  user?: ProcessUser;
}

export interface ProcessUser {
  uid: number;
  gid: number;
}

/**
 * Starts a server in its own process group with output appended to its log file,
 * so it outlives the CLI and can be stopped as a group later.
 */
export function startDetached({
  command,
  args,
  cwd,
  logFile,
  pidFile,
  url,
  env,
  user,
}: DetachedStart): number {
  const log = openSync(logFile, 'a');
  writeFileSync(
    log,
    `\n${startBanner}${new Date().toISOString()} ${command} ${args.join(' ')}\n`,
  );
  try {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      detached: true,
      stdio: ['ignore', log, log],
      ...user,
    });
    if (child.pid === undefined) {
      throw new Error(`Could not start ${command} (see ${logFile})`);
    }
    // An async spawn error (e.g. ENOENT) would otherwise crash the caller; the missing PID above reports it.
    child.on('error', () => undefined);
    child.unref();
    writeFileSync(pidFile, `${child.pid}\n${url}\n`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM to the process group, up to `graceMs` to exit, then SIGKILL. Returns how it ended. */
export async function stopProcessGroup(
  pid: number,
  graceMs: number,
): Promise<'terminated' | 'killed'> {
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return 'terminated';
    await sleep(200);
  }
  signalGroup(pid, 'SIGKILL');
  const killDeadline = Date.now() + 5_000;
  while (isAlive(pid) && Date.now() < killDeadline) await sleep(100);
  if (isAlive(pid)) throw new Error(`Process ${pid} survived SIGKILL`);
  return 'killed';
}

/** Signals the process group led by `pid`, or the process alone when it leads none. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') {
      // Not a group leader (or already gone): signal the process itself.
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
      return;
    }
    throw error;
  }
}

/** The last lines of the latest run in a log, reading only its end: logs are appended to across runs. */
export function tailFile(file: string, lines = 40): string {
  if (!existsSync(file)) return `(no log at ${file})`;
  const size = statSync(file).size;
  const length = Math.min(size, 64 * 1024);
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  const text = buffer.toString('utf8').trimEnd();
  const lastStart = text.lastIndexOf(`\n${startBanner}`);
  const currentRun = lastStart === -1 ? text : text.slice(lastStart + 1);
  return currentRun.split('\n').slice(-lines).join('\n');
}

/** A server this stack starts, as far as waiting for it and reporting its failure go. */
export interface StartedServer {
  name: string;
  title: string;
  url: string;
  /** Part of its command line, to tell it from a process that took over its PID. */
  marker: string;
  logFile: string;
  readyTimeoutMs: number;
}

/** Retries `probe` until it answers; gives up early when the server's process has died. */
export async function waitForStartedServer(
  server: StartedServer,
  pid: number,
  probe: () => Promise<unknown>,
): Promise<void> {
  await waitUntilReady(probe, {
    what: `${server.title} at ${server.url}`,
    timeoutMs: server.readyTimeoutMs,
    abortReason: () =>
      isOurProcess(pid, server.marker)
        ? undefined
        : `its process (pid ${pid}) exited`,
  });
}

/** Why a server did not come up, with the last lines of its current run's log. */
export function failureReport(
  server: Pick<StartedServer, 'name' | 'logFile'>,
  error: unknown,
): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${server.name} failed: ${message}\n--- last lines of ${server.logFile} ---\n${tailFile(server.logFile, 40)}`;
}
