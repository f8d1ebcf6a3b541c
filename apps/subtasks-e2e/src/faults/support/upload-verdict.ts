import type { LogLine } from '../../support/app-process';
import type { Aftermath, StoredRow } from './evidence';
import type { LoadAnswer } from './upload-load';

/** 503s the api gives on purpose (with Retry-After): not stored, try again. */
export const DELIBERATE_503 = new Set([
  'DATABASE_UNAVAILABLE',
  'UPLOAD_NOT_PUBLISHED',
]);

const TRUE_FAILURES = new Set(['TIMED_OUT', 'REJECTED']);
const STORED_OUTCOMES = new Set(['STORED', 'ALREADY_STORED']);
const TIMED_OUT_LOG = 'upload timed out: flag cleared by the reconciler';

export interface UploadCounts {
  readonly stored: number;
  /** Accepted uploads not stored whose failure is recorded: timed out, rejected. */
  readonly timedOut: number;
  readonly rejected: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly flagsLeft: number;
}

const accepted = (a: LoadAnswer) =>
  (a.status === 200 || a.status === 202) && a.requestId !== undefined;

/** At most `n` items, for a readable failure. */
export function sample(items: readonly string[], n = 8): string {
  return `${items.slice(0, n).join('; ')}${items.length > n ? `; … ${items.length - n} more` : ''}`;
}

export function rowsByRequest(
  rows: readonly StoredRow[],
): Map<string, StoredRow[]> {
  const byRequest = new Map<string, StoredRow[]>();
  for (const row of rows)
    byRequest.set(row.requestId, [
      ...(byRequest.get(row.requestId) ?? []),
      row,
    ]);
  return byRequest;
}

/**
 * Every accepted upload stored exactly once or truly failed (TIMED_OUT recorded, or the reconciler's
 * timeout logged for an upload a later one superseded; REJECTED is counted, and wrong, since every
 * upload here is valid); nothing stored reported as failed or refused; versions dense; no flag left.
 */
export function judgeUploads(
  answers: readonly LoadAnswer[],
  after: Aftermath,
  apiLogs: readonly LogLine[],
  violations: string[],
): UploadCounts {
  const stored = rowsByRequest(after.rows);
  const timedOutInLog = new Set(
    apiLogs
      .filter((line) => line.msg === TIMED_OUT_LOG)
      .map((line) => String(line['requestId'])),
  );
  const lost: string[] = [];
  const misreported: string[] = [];
  const failed = { timedOut: 0, rejected: 0 };
  const rejected: string[] = [];
  for (const answer of answers.filter(accepted)) {
    const requestId = answer.requestId as string;
    const rows = stored.get(requestId);
    const subtask = after.subtasks.get(answer.subtaskId);
    const current = subtask?.uploadRequestId === requestId;
    if (rows !== undefined) {
      const [row] = rows;
      if (
        answer.outcome === 'REJECTED' ||
        (answer.outcome === 'STORED' && answer.resultVersion !== row?.version)
      )
        misreported.push(
          `${requestId}: answered ${answer.outcome} v${answer.resultVersion}, stored v${row?.version}`,
        );
      if (current && !STORED_OUTCOMES.has(subtask.lastOutcome ?? ''))
        misreported.push(
          `${requestId}: stored v${row?.version} but recorded ${subtask.lastOutcome} (${subtask.lastError})`,
        );
      continue;
    }
    const recorded =
      current &&
      !subtask.uploading &&
      TRUE_FAILURES.has(subtask.lastOutcome ?? '');
    const toldRejected = answer.outcome === 'REJECTED';
    const supersededAfterTimeout = !current && timedOutInLog.has(requestId);
    if (toldRejected || (recorded && subtask.lastOutcome === 'REJECTED')) {
      failed.rejected += 1;
      rejected.push(
        `${requestId} (subtask ${answer.subtaskId}: ${current ? subtask.lastError : answer.outcome})`,
      );
    } else if (recorded || supersededAfterTimeout) failed.timedOut += 1;
    else
      lost.push(
        `${requestId} (subtask ${answer.subtaskId}, answered ${answer.status}: ${subtask ? `uploading=${subtask.uploading} request=${subtask.uploadRequestId} outcome=${subtask.lastOutcome}` : 'no such subtask'})`,
      );
  }
  if (lost.length > 0)
    violations.push(
      `lost uploads (accepted, neither stored nor a true failure recorded): ${sample(lost)}`,
    );
  // Every upload of this suite is valid and its subtask exists: nothing may be refused for good.
  if (rejected.length > 0)
    violations.push(`valid uploads rejected: ${sample(rejected)}`);
  if (misreported.length > 0)
    violations.push(
      `stored uploads reported otherwise: ${sample(misreported)}`,
    );

  const refusedButStored = answers
    .filter(
      (a) =>
        a.status >= 500 && a.requestId !== undefined && stored.has(a.requestId),
    )
    .map((a) => `${a.requestId} (${a.status} ${a.code})`);
  if (refusedButStored.length > 0)
    violations.push(
      `refused uploads that were stored: ${sample(refusedButStored)}`,
    );

  const duplicates = [...stored.values()].reduce(
    (n, rows) => n + rows.length - 1,
    0,
  );
  if (duplicates > 0)
    violations.push(
      `request ids stored more than once: ${sample([...stored].filter(([, r]) => r.length > 1).map(([id]) => id))}`,
    );
  violations.push(...versionGaps(after.rows));

  const flags = [...after.subtasks.values()].filter((s) => s.uploading);
  if (flags.length > 0)
    violations.push(
      `flags left set: ${sample(flags.map((s) => `${s.id} (request ${s.uploadRequestId})`))}`,
    );
  return {
    stored: after.rows.length,
    ...failed,
    lost: lost.length,
    duplicates,
    flagsLeft: flags.length,
  };
}

/** Each subtask's versions must be 1..n, each once. */
function versionGaps(rows: readonly StoredRow[]): string[] {
  const bySubtask = new Map<string, number[]>();
  for (const row of rows)
    bySubtask.set(row.subtaskId, [
      ...(bySubtask.get(row.subtaskId) ?? []),
      row.version,
    ]);
  const broken = [...bySubtask]
    .filter(([, versions]) =>
      versions.sort((a, b) => a - b).some((v, i) => v !== i + 1),
    )
    .map(([id, versions]) => `${id}: ${versions.join(',')}`);
  return broken.length > 0
    ? [`result versions not 1..n: ${sample(broken)}`]
    : [];
}

/** No 5xx but the deliberate 503s; no missing answer unless the scenario kills the api. */
export function judgeAnswers(
  answers: readonly LoadAnswer[],
  apiKilled: boolean,
  violations: string[],
): void {
  const failed = answers.filter(
    (a) =>
      (a.status >= 500 &&
        !(a.status === 503 && DELIBERATE_503.has(a.code ?? ''))) ||
      (a.status === 0 && !apiKilled),
  );
  if (failed.length > 0)
    violations.push(
      `unexpected answers: ${sample(failed.map((a) => `${a.status} ${a.code ?? a.error ?? ''} (subtask ${a.subtaskId})`))}`,
    );
}
