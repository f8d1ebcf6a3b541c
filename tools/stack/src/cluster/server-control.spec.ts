import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../processes';
import type { ClusterServer } from './cluster-servers';
import { stopQuorum } from './server-control';

describe('stopQuorum (real processes)', () => {
  let dir: string;
  const pids: number[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stack-quorum-'));
  });

  afterEach(() => {
    for (const pid of pids.splice(0)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** A detached process group like a node's; `stubborn` ignores SIGTERM, like a node awaiting its quorum. */
  function node(name: string, stubborn: boolean): ClusterServer {
    const marker = `stack-quorum-test-${randomUUID()}`;
    const script = stubborn
      ? 'trap "" TERM; while true; do sleep 0.1; done'
      : 'while true; do sleep 0.1; done';
    const child = spawn('bash', ['-c', script, marker], {
      detached: true,
      stdio: 'ignore',
    });
    child.unref();
    const pid = child.pid as number;
    pids.push(pid);
    const pidFile = join(dir, `${name}.pid`);
    writeFileSync(pidFile, `${pid}\n\n`);
    return {
      name,
      title: name,
      url: '',
      ports: [],
      marker,
      pidFile,
      logFile: join(dir, `${name}.log`),
      readyTimeoutMs: 0,
      probe: async () => undefined,
      nodeId: 1,
    };
  }

  it('terminates nodes that stop, and kills one left without a quorum soon after', async () => {
    const servers = [
      node('kafka-1', false),
      node('kafka-2', false),
      node('kafka-3', true),
    ];
    const began = Date.now();

    const stopped = await stopQuorum(servers, {
      voters: 3,
      graceMs: 20_000,
      quorumLostGraceMs: 300,
    });

    expect(Date.now() - began).toBeLessThan(5_000);
    expect(stopped.get('kafka-1')?.how).toBe('terminated');
    expect(stopped.get('kafka-2')?.how).toBe('terminated');
    expect(stopped.get('kafka-3')?.how).toBe('killed');
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    for (const server of servers)
      expect(existsSync(server.pidFile)).toBe(false);
  });

  it('reports nodes that were not running as undefined', async () => {
    const missing: ClusterServer = {
      ...node('kafka-1', false),
      pidFile: join(dir, 'none.pid'),
    };

    const stopped = await stopQuorum([missing], {
      voters: 3,
      graceMs: 1_000,
      quorumLostGraceMs: 100,
    });

    expect(stopped.get('kafka-1')).toBeUndefined();
  });
});
