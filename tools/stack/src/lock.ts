import {
  closeSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { sleep } from './net';
import { isAlive } from './processes';

export type ReleaseLock = () => void;

/**
 * One stack command at a time per checkout (several tools may call `stackUp` at once).
 * A lock left by a dead process is taken over.
 */
export async function acquireLock(
  lockFile: string,
  options: { timeoutMs: number; onWait: (holderPid: number) => void },
): Promise<ReleaseLock> {
  const deadline = Date.now() + options.timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(lockFile);
    if (holder === undefined ? isStale(lockFile) : !isAlive(holder)) {
      rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `Another stack command (pid ${holder ?? 'unknown'}) holds ${lockFile}; gave up waiting`,
      );
    }
    if (!announced && holder !== undefined) {
      options.onWait(holder);
      announced = true;
    }
    await sleep(250);
  }
}

function readHolder(lockFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** A lock file without a PID is either being written right now or was left half-written long ago. */
function isStale(lockFile: string): boolean {
  try {
    return Date.now() - statSync(lockFile).mtimeMs > 5_000;
  } catch {
    return true;
  }
}

/** Runs `work` holding the lock; says so through `log` when it has to wait for another command. */
export async function withLock<T>(
  lockFile: string,
  log: (message: string) => void,
  work: () => Promise<T>,
): Promise<T> {
  const release = await acquireLock(lockFile, {
    timeoutMs: 5 * 60_000,
    onWait: (pid) =>
      log(`waiting for another stack command (pid ${pid}) to finish…`),
  });
  try {
    return await work();
  } finally {
    release();
  }
}
