import type { Client } from 'pg';

/** Subtasks whose upload flag is still set in the bench's database. */
export async function uploadsInFlight(sql: Client): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM subtasks WHERE uploading',
  );
  return rows[0]?.n ?? 0;
}

/**
 * Waits until every accepted upload has settled (202s leave a backlog in the worker), so that the
 * next path is not measured while the worker still catches up. Resolves with the seconds it took.
 */
export async function waitUntilSettled(
  sql: Client,
  timeoutMs: number,
): Promise<number> {
  const began = Date.now();
  for (;;) {
    const left = await uploadsInFlight(sql);
    if (left === 0) return (Date.now() - began) / 1000;
    if (Date.now() - began > timeoutMs)
      throw new Error(
        `${left} uploads were still in flight ${Math.round(timeoutMs / 1000)} s after the load ended`,
      );
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
