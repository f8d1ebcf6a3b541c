import type { BenchContext } from '../context';
import type { Call } from '../measure/closed-loop';
import { measurePath } from '../measure/measure-path';
import type { FullPathSystem } from '../system/full-path-system';
import type { PathFigures } from '../report/figures';
import { waitUntilSettled } from '../system/upload-flags';

/** How long the worker may take to catch up with the backlog the 202s leave. */
const SETTLE_TIMEOUT_MS = 300_000;

/**
 * PUT without wait (202): every call needs a subtask with no upload in flight, so fresh ones are
 * created first, enough for `expectedRate`; the worker's backlog is drained afterwards so that the
 * next path is not measured while it catches up.
 */
export async function measureAcceptedUploads(
  context: BenchContext,
  system: FullPathSystem,
  expectedRate: number,
): Promise<PathFigures> {
  const { options, log } = context;
  const count = Math.min(
    200_000,
    Math.ceil((expectedRate * (options.warmupMs + options.durationMs)) / 1000) +
      10,
  );
  const began = Date.now();
  const fresh = await system.http.createSubtasks(count, options.inFlight);
  log(
    `  created ${count.toLocaleString('en')} subtasks for http-202 in ${((Date.now() - began) / 1000).toFixed(1)} s`,
  );
  let taken = 0;
  const call: Call = async () => {
    const id = fresh[taken++];
    if (id === undefined) throw new Error('no prepared subtask left');
    await system.http.putResult(id, false);
  };
  const path = await measurePath(call, {
    id: 'http-202',
    title: 'PUT /subtasks/:id/result without wait (202 accepted)',
    unit: 'accepted/s',
    inFlight: options.inFlight,
    warmupMs: options.warmupMs,
    durationMs: options.durationMs,
    remaining: () => fresh.length - taken,
  });
  const drained = await waitUntilSettled(
    system.database.sql,
    SETTLE_TIMEOUT_MS,
  );
  const settled = `the worker settled the backlog ${drained.toFixed(1)} s after the load`;
  log(`  ${settled}`);
  return { ...path, note: path.note ? `${settled}; ${path.note}` : settled };
}
