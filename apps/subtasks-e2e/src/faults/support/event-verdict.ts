import type { Aftermath } from './evidence';
import { rowsByRequest, sample } from './upload-verdict';

export interface EventCounts {
  /** Stored versions with exactly one event. */
  readonly exact: number;
  /** Events beyond the first for a request id. */
  readonly duplicates: number;
  readonly missing: number;
}

/**
 * Exactly one completion event per stored version, with that version; none for anything not
 * stored. A duplicate (a request id seen before) is allowed only where something crashed.
 */
export function judgeEvents(
  after: Aftermath,
  duplicatesAllowed: boolean,
  violations: string[],
): EventCounts {
  const byRequest = new Map<string, number[]>();
  const copies = new Map<string, string[]>();
  for (const event of after.events) {
    byRequest.set(event.requestId, [
      ...(byRequest.get(event.requestId) ?? []),
      event.resultVersion ?? -1,
    ]);
    copies.set(event.requestId, [
      ...(copies.get(event.requestId) ?? []),
      `${event.position} at ${new Date(event.writtenAt).toISOString()}`,
    ]);
  }
  const missing: string[] = [];
  const wrong: string[] = [];
  let exact = 0;
  let duplicates = 0;
  for (const row of after.rows) {
    const versions = byRequest.get(row.requestId) ?? [];
    if (versions.length === 0)
      missing.push(`${row.requestId} (v${row.version})`);
    if (versions.length === 1) exact += 1;
    duplicates += Math.max(0, versions.length - 1);
    if (versions.some((v) => v !== row.version))
      wrong.push(
        `${row.requestId}: stored v${row.version}, events say ${versions.join(',')}`,
      );
  }
  const stored = rowsByRequest(after.rows);
  const phantom = [...byRequest.keys()].filter((id) => !stored.has(id));
  if (missing.length > 0)
    violations.push(
      `stored versions without a completion event: ${sample(missing)}`,
    );
  if (wrong.length > 0)
    violations.push(`events with the wrong version: ${sample(wrong)}`);
  if (phantom.length > 0)
    violations.push(`events for uploads never stored: ${sample(phantom)}`);
  if (duplicates > 0 && !duplicatesAllowed)
    violations.push(
      `${duplicates} duplicate completion event(s) without a crash: ${sample([...copies].filter(([, c]) => c.length > 1).map(([id, c]) => `${id} ×${c.length} (${c.join(', ')})`))}`,
    );
  return { exact, duplicates, missing: missing.length };
}
