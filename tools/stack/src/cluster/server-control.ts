import { isPortAnswering, sleep } from '../net';
import {
  failureReport,
  isAlive,
  isOurProcess,
  readPidFile,
  removePidFile,
  signalGroup,
  stopProcessGroup,
  waitForStartedServer,
} from '../processes';
import type { ClusterAccess } from './cluster-access';
import type { ClusterServer } from './cluster-servers';

/** The server's pid when its pid file names a live process with the server's command line. */
export function runningPid(server: ClusterServer): number | undefined {
  const pid = readPidFile(server.pidFile)?.pid;
  return pid !== undefined && isOurProcess(pid, server.marker)
    ? pid
    : undefined;
}

/** Retries the server's probe until it answers; gives up early when its process has died. */
export async function waitForServer(
  server: ClusterServer,
  pid: number,
  access: ClusterAccess,
): Promise<void> {
  await waitForStartedServer(server, pid, () => server.probe(access));
}

export { failureReport };

export interface Stopped {
  pid: number;
  how: 'terminated' | 'killed';
  ms: number;
}

/** SIGTERM, up to `graceMs`, then SIGKILL; undefined when it was not running. Removes the pid file. */
export async function stopServer(
  server: ClusterServer,
  graceMs: number,
): Promise<Stopped | undefined> {
  const pid = runningPid(server);
  try {
    if (pid === undefined) return undefined;
    const began = Date.now();
    const how = await stopProcessGroup(pid, graceMs);
    return { pid, how, ms: Date.now() - began };
  } finally {
    removePidFile(server.pidFile);
  }
}

export interface QuorumStop {
  /** How many voters the quorum has (every node of the profile, running or not). */
  voters: number;
  graceMs: number;
  /** Once fewer than a majority of voters live, how long the rest may still take. */
  quorumLostGraceMs: number;
}

/**
 * Stops KRaft nodes together: SIGTERM to all, then SIGKILL to the rest once the quorum is gone and
 * `quorumLostGraceMs` passed (or `graceMs` in all). The last nodes of a cluster wait for a controlled
 * shutdown that no controller can approve any more; Kafka recovers their logs on the next start.
 */
export async function stopQuorum(
  servers: readonly ClusterServer[],
  options: QuorumStop,
): Promise<Map<string, Stopped | undefined>> {
  const began = Date.now();
  const majority = Math.floor(options.voters / 2) + 1;
  const running = servers.flatMap((server) => {
    const pid = runningPid(server);
    return pid === undefined ? [] : [{ server, pid }];
  });
  const result = new Map<string, Stopped | undefined>(
    servers.map((server) => [server.name, undefined]),
  );
  for (const { pid } of running) signalGroup(pid, 'SIGTERM');
  let deadline = began + options.graceMs;
  let quorumLost = false;
  const ended = new Map<number, number>();
  for (;;) {
    for (const { pid } of running) {
      if (!ended.has(pid) && !isAlive(pid)) ended.set(pid, Date.now());
    }
    const alive = running.filter(({ pid }) => !ended.has(pid));
    if (alive.length === 0) break;
    if (!quorumLost && alive.length < majority) {
      quorumLost = true;
      deadline = Math.min(deadline, Date.now() + options.quorumLostGraceMs);
    }
    if (Date.now() >= deadline) {
      for (const { pid } of alive) signalGroup(pid, 'SIGKILL');
      const killDeadline = Date.now() + 5_000;
      while (alive.some(({ pid }) => isAlive(pid)) && Date.now() < killDeadline)
        await sleep(100);
      for (const { server, pid } of alive) {
        if (isAlive(pid)) throw new Error(`Process ${pid} survived SIGKILL`);
        result.set(server.name, { pid, how: 'killed', ms: Date.now() - began });
      }
      break;
    }
    await sleep(100);
  }
  for (const { server, pid } of running) {
    const at = ended.get(pid);
    if (at !== undefined)
      result.set(server.name, { pid, how: 'terminated', ms: at - began });
  }
  for (const server of servers) removePidFile(server.pidFile);
  return result;
}

/** Ports still taken a few seconds after the servers stopped: someone else's process holds them. */
export async function portsStillTaken(
  servers: readonly ClusterServer[],
): Promise<string[]> {
  const busy: string[] = [];
  for (const server of servers) {
    for (const { host, port } of server.ports) {
      const deadline = Date.now() + 3_000;
      let answering = await isPortAnswering(host, port);
      while (answering && Date.now() < deadline) {
        await sleep(200);
        answering = await isPortAnswering(host, port);
      }
      if (answering)
        busy.push(
          `${server.name}: ${host}:${port} is still in use by a process this stack did not start`,
        );
    }
  }
  return busy;
}
