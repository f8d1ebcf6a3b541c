import { sleep } from '../net';
import { isAlive, signalGroup } from '../processes';

export type StopHow = 'fast' | 'immediate' | 'killed';

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

async function exited(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(50);
  }
  return !isAlive(pid);
}

/**
 * SIGINT is PostgreSQL's fast shutdown (sessions ended, a checkpoint, a clean stop); SIGQUIT its
 * immediate one (crash recovery at the next start). Signalling the whole group instead would stop
 * its helper processes behind the postmaster's back.
 */
export async function stopPostmaster(
  pid: number,
  graceMs: number,
): Promise<StopHow> {
  signal(pid, 'SIGINT');
  if (await exited(pid, graceMs)) return 'fast';
  signal(pid, 'SIGQUIT');
  if (await exited(pid, 5_000)) return 'immediate';
  signalGroup(pid, 'SIGKILL');
  if (await exited(pid, 5_000)) return 'killed';
  throw new Error(`PostgreSQL (pid ${pid}) survived SIGKILL`);
}
