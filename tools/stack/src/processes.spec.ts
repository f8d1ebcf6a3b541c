import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  isAlive,
  isOurProcess,
  readPidFile,
  startDetached,
  stopProcessGroup,
  tailFile,
} from './processes';

describe('detached processes', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stack-processes-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts in its own process group with a PID file, and stops on SIGTERM', async () => {
    const marker = `marker-${process.pid}-${Date.now()}`;
    const pidFile = join(dir, 'sleeper.pid');
    const pid = startDetached({
      command: 'sh',
      args: ['-c', `echo started ${marker}; exec sleep 30`, marker],
      cwd: dir,
      logFile: join(dir, 'sleeper.log'),
      pidFile,
      url: 'sleeper://here',
    });

    expect(readPidFile(pidFile)).toEqual({ pid, url: 'sleeper://here' });
    expect(isOurProcess(pid, 'sleep 30')).toBe(true);
    expect(isOurProcess(pid, 'something-else')).toBe(false);

    expect(await stopProcessGroup(pid, 5_000)).toBe('terminated');
    expect(isAlive(pid)).toBe(false);
    expect(readFileSync(join(dir, 'sleeper.log'), 'utf8')).toContain(
      `started ${marker}`,
    );
  });

  it('falls back to SIGKILL when SIGTERM is ignored', async () => {
    const pid = startDetached({
      command: 'sh',
      args: ['-c', "trap '' TERM; while :; do sleep 0.1; done"],
      cwd: dir,
      logFile: join(dir, 'stubborn.log'),
      pidFile: join(dir, 'stubborn.pid'),
      url: '',
    });
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(await stopProcessGroup(pid, 500)).toBe('killed');
    expect(isAlive(pid)).toBe(false);
  });

  it('reads no PID from a missing or garbled file', () => {
    writeFileSync(join(dir, 'bad.pid'), 'not a pid\n');

    expect(readPidFile(join(dir, 'missing.pid'))).toBeUndefined();
    expect(readPidFile(join(dir, 'bad.pid'))).toBeUndefined();
  });
});

describe('tailFile', () => {
  it('gives the last lines of a long log', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stack-tail-'));
    const file = join(dir, 'server.log');
    writeFileSync(
      file,
      Array.from({ length: 10_000 }, (_, index) => `line ${index}`).join('\n') +
        '\n',
    );

    const tail = tailFile(file, 40).split('\n');

    expect(tail).toHaveLength(40);
    expect(tail[0]).toBe('line 9960');
    expect(tail[39]).toBe('line 9999');
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows only the latest run of a server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stack-tail-'));
    const logFile = join(dir, 'server.log');
    for (const run of ['first', 'second']) {
      const pid = startDetached({
        command: 'sh',
        args: ['-c', `echo ${run} run`],
        cwd: dir,
        logFile,
        pidFile: join(dir, 'server.pid'),
        url: '',
      });
      while (isAlive(pid))
        await new Promise((resolve) => setTimeout(resolve, 50));
    }

    expect(tailFile(logFile)).toMatch(
      /^=== started \S+ sh -c echo second run\nsecond run$/,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('says when there is no log', () => {
    expect(tailFile('/nonexistent/server.log')).toContain(
      'no log at /nonexistent/server.log',
    );
  });
});
