import type { StoredRow } from './evidence';
import type { LoadAnswer } from './upload-load';

/**
 * How "stored again" is seen after a restart at `from`: `any-store` — any result stored from then
 * on (the killed process was the only one storing); `new-upload` — an upload sent from then on is
 * stored (uploads accepted earlier may still be stored by a survivor meanwhile).
 */
export interface RestartMark {
  readonly from: number;
  readonly measure: 'any-store' | 'new-upload';
}

/** Seconds from the restart until uploads were stored again; undefined when none were. */
export function recoverySeconds(
  mark: RestartMark,
  rows: readonly StoredRow[],
  answers: readonly LoadAnswer[],
): number | undefined {
  const sentSince = new Set(
    answers
      .filter((a) => a.sentAt >= mark.from && a.requestId !== undefined)
      .map((a) => a.requestId as string),
  );
  const times = rows
    .filter((row) =>
      mark.measure === 'any-store'
        ? row.storedAt >= mark.from
        : sentSince.has(row.requestId),
    )
    .map((row) => row.storedAt);
  if (times.length === 0) return undefined;
  return (Math.min(...times) - mark.from) / 1000;
}
