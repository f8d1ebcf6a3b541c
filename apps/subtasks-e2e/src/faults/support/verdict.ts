import type { LogLine } from '../../support/app-process';
import { countBy } from '../../support/load';
import { judgeDeadLetters } from './dead-letter-verdict';
import type { Drive } from './drive';
import { judgeEvents } from './event-verdict';
import type { Aftermath } from './evidence';
import type { FaultRow } from './fault-table';
import { recoverySeconds } from './recovery';
import { MIN_UPLOADS, type Scenario } from './scenario';
import { judgeAnswers, judgeUploads } from './upload-verdict';

/** The scenario's line of the table, everything that was wrong (empty: it passed), and remarks. */
export function judgeScenario(
  scenario: Scenario,
  drive: Drive,
  after: Aftermath,
  apiLogs: readonly LogLine[],
): { row: FaultRow; violations: string[]; notes: string[] } {
  const violations: string[] = [];
  const notes: string[] = [];
  if (drive.loadAnswers.length < MIN_UPLOADS)
    violations.push(
      `only ${drive.loadAnswers.length} uploads (< ${MIN_UPLOADS})`,
    );
  if (drive.maxInFlight < 20)
    violations.push(`at most ${drive.maxInFlight} uploads in flight`);
  const answers = [...drive.loadAnswers, ...drive.extraAnswers];
  judgeAnswers(answers, scenario.apiKilled ?? false, violations);
  const uploads = judgeUploads(answers, after, apiLogs, violations);
  const events = judgeEvents(after, scenario.crash ?? false, violations);
  const requestIds = new Set([
    ...after.rows.map((r) => r.requestId),
    ...answers.flatMap((a) => (a.requestId === undefined ? [] : [a.requestId])),
  ]);
  const parked = judgeDeadLetters(
    after,
    drive.poisons,
    requestIds,
    violations,
    notes,
  );
  const recovery =
    drive.restart === undefined
      ? undefined
      : recoverySeconds(drive.restart, after.rows, answers);
  const limit = scenario.recoveryLimitSeconds;
  if (limit !== undefined && !(recovery !== undefined && recovery <= limit))
    violations.push(
      `recovery took ${recovery ?? 'forever'} s (limit ${limit} s)`,
    );
  return {
    row: {
      scenario: scenario.name,
      uploads: answers.length,
      answers: countBy(answers, (a) => String(a.status)),
      stored: uploads.stored,
      timedOut: uploads.timedOut,
      rejected: uploads.rejected,
      lost: uploads.lost,
      duplicates: uploads.duplicates,
      flagsLeft: uploads.flagsLeft,
      eventsExact: events.exact,
      eventsDuplicate: events.duplicates,
      eventsMissing: events.missing,
      parked,
      recoverySeconds: recovery,
    },
    violations,
    notes,
  };
}
