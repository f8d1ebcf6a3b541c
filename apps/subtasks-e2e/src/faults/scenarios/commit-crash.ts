import { Client } from 'pg';
import type { Scenario } from '../support/scenario';

const CRASH_AFTER_COMMITS = 300;

/** Stored versions whose event the outbox has not published yet. */
async function unpublished(databaseUrl: string): Promise<number> {
  const sql = new Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    const { rows } = await sql.query<{ n: string }>(
      'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL',
    );
    return Number(rows[0]?.n);
  } finally {
    await sql.end();
  }
}

/**
 * The worker dies right after a stored result commits, before its reply and before its event is
 * published (WORKER_FAULT_CRASH_AFTER_COMMITS); restarted without the hook, the outbox still
 * announces every stored version.
 */
export const commitCrash: Scenario = {
  name: 'worker dies after commit',
  crash: true,
  recoveryLimitSeconds: 10,
  settings: {
    firstWorker: {
      WORKER_FAULT_CRASH_AFTER_COMMITS: String(CRASH_AFTER_COMMITS),
    },
  },
  async inject({ system, databaseUrl, restarted, note }) {
    await system.waitForDeath('subtask-worker', 60_000);
    note(`${await unpublished(databaseUrl)} event(s) unpublished at the crash`);
    restarted({ from: Date.now(), measure: 'any-store' });
    await system.startWorker();
  },
};
