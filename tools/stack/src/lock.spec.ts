import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireLock } from './lock';

describe('acquireLock', () => {
  let dir: string;
  let lockFile: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stack-lock-'));
    lockFile = join(dir, 'stack.lock');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a second caller wait until the first releases', async () => {
    const releaseFirst = await acquireLock(lockFile, {
      timeoutMs: 1_000,
      onWait: () => undefined,
    });
    const waitedFor: number[] = [];
    const second = acquireLock(lockFile, {
      timeoutMs: 5_000,
      onWait: (pid) => waitedFor.push(pid),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));

    releaseFirst();
    const releaseSecond = await second;

    expect(waitedFor).toEqual([process.pid]);
    releaseSecond();
    expect(existsSync(lockFile)).toBe(false);
  });

  it('takes over a lock left by a dead process', async () => {
    writeFileSync(lockFile, '999999999\n');

    const release = await acquireLock(lockFile, {
      timeoutMs: 1_000,
      onWait: () => undefined,
    });

    release();
  });

  it('gives up after the timeout while the holder lives', async () => {
    const release = await acquireLock(lockFile, {
      timeoutMs: 1_000,
      onWait: () => undefined,
    });

    await expect(
      acquireLock(lockFile, { timeoutMs: 300, onWait: () => undefined }),
    ).rejects.toThrow(`Another stack command (pid ${process.pid})`);
    release();
  });
});
