import { Client } from 'pg';
import { sleep } from '../../support/app-process';
import type { Admin } from 'kafkajs';
import { GROUPS, TOPICS, withAdmin } from './topics';

/** What is still moving: flags set, outbox rows unpublished, messages not yet consumed. */
export interface Backlog {
  readonly flags: number;
  readonly outbox: number;
  readonly commands: number;
  readonly events: number;
}

/** Messages `group` has yet to consume on `topic` (0 when it is caught up). */
export async function consumerLag(
  admin: Admin,
  groupId: string,
  topic: string,
): Promise<number> {
  const [ends, [committed]] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId, topics: [topic] }),
  ]);
  let lag = 0;
  for (const { partition, high } of ends) {
    const at =
      committed?.partitions.find((p) => p.partition === partition)?.offset ??
      '-1';
    // -1: nothing committed yet, so everything the group has not seen counts.
    lag += Number(BigInt(high) - (at === '-1' ? 0n : BigInt(at)));
  }
  return lag;
}

const idle = (b: Backlog) =>
  b.flags === 0 && b.outbox === 0 && b.commands === 0 && b.events === 0;

async function backlog(databaseUrl: string): Promise<Backlog> {
  const sql = new Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    const { rows } = await sql.query<{ flags: string; outbox: string }>(
      `SELECT (SELECT count(*) FROM subtasks WHERE uploading) AS flags,
              (SELECT count(*) FROM outbox WHERE published_at IS NULL) AS outbox`,
    );
    const [commands, events] = await withAdmin((admin) =>
      Promise.all([
        consumerLag(admin, GROUPS.worker, TOPICS.commands),
        consumerLag(admin, GROUPS.api, TOPICS.events),
      ]),
    );
    return {
      flags: Number(rows[0]?.flags),
      outbox: Number(rows[0]?.outbox),
      commands,
      events,
    };
  } finally {
    await sql.end();
  }
}

/**
 * Waits until nothing moves any more (twice in a row), or the time is up: then the last backlog
 * seen is returned, for the verdict to report.
 */
export async function waitUntilSettled(
  databaseUrl: string,
  timeoutMs: number,
): Promise<{ settled: boolean; last?: Backlog; error?: string }> {
  const deadline = Date.now() + timeoutMs;
  let quietPolls = 0;
  let last: Backlog | undefined;
  let error: string | undefined;
  for (;;) {
    try {
      last = await backlog(databaseUrl);
      error = undefined;
      quietPolls = idle(last) ? quietPolls + 1 : 0;
      if (quietPolls >= 2) return { settled: true, last };
    } catch (failure) {
      // A server still coming back; the next poll asks again.
      error = (failure as Error).message;
      quietPolls = 0;
    }
    if (Date.now() > deadline) return { settled: false, last, error };
    await sleep(300);
  }
}
