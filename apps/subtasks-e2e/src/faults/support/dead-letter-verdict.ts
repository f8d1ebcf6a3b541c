import { DEAD_LETTER_HEADERS } from '@subtasks/messaging';
import type { ReadRecord } from '../../support/kafka';
import type { Aftermath } from './evidence';
import { headerText } from './topics';
import { sample } from './upload-verdict';
import type { Poison } from './poison';

/** Poison sent by a scenario; `parkedNotBefore`: it may only be parked after this (epoch ms). */
export interface SentPoison extends Poison {
  readonly parkedNotBefore?: number;
}

/**
 * Each poison parked, every copy with its code and a reason and none before the fault allowed;
 * nothing of this scenario's own uploads parked. Parking is at least once: a poison parked more
 * than once is reported in `notes`, not failed. Returns how many of this scenario's messages were
 * parked. Other users of the stack may park messages of their own meanwhile: those are ignored.
 */
export function judgeDeadLetters(
  after: Aftermath,
  poisons: readonly SentPoison[],
  ourRequestIds: ReadonlySet<string>,
  violations: string[],
  notes: string[],
): number {
  const isPoison = (r: ReadRecord) =>
    poisons.some((p) => r.message.value?.equals(p.value) === true);
  for (const poison of poisons) {
    const parks = after.deadLetters.filter(
      (r) => r.message.value?.equals(poison.value) === true,
    );
    if (parks.length === 0)
      violations.push(`poison "${poison.kind}" never parked`);
    if (parks.length > 1)
      notes.push(`poison "${poison.kind}" parked ${parks.length} times`);
    for (const park of parks) judgePark(poison, park, violations);
  }
  const good = after.deadLetters.filter((r) => {
    if (isPoison(r)) return false;
    const requestId = headerText(r.message.headers, 'x-request-id');
    const key = r.message.key?.toString();
    return (
      (requestId !== undefined && ourRequestIds.has(requestId)) ||
      (key !== undefined && after.subtasks.has(key))
    );
  });
  if (good.length > 0)
    violations.push(
      `good uploads parked: ${sample(good.map((r) => `${headerText(r.message.headers, 'x-request-id')} ${headerText(r.message.headers, DEAD_LETTER_HEADERS.code)}: ${headerText(r.message.headers, DEAD_LETTER_HEADERS.reason)}`))}`,
    );
  return after.deadLetters.filter(isPoison).length + good.length;
}

/** One copy of a parked poison: its code, a reason, and not parked while the fault lasted. */
function judgePark(
  poison: SentPoison,
  park: ReadRecord,
  violations: string[],
): void {
  const headers = park.message.headers;
  const code = headerText(headers, DEAD_LETTER_HEADERS.code);
  const reason = headerText(headers, DEAD_LETTER_HEADERS.reason) ?? '';
  const failedAt = Date.parse(
    headerText(headers, DEAD_LETTER_HEADERS.failedAt) ?? '',
  );
  if (code !== poison.expectedCode || reason.trim() === '')
    violations.push(
      `poison "${poison.kind}" parked with code ${code} and reason "${reason}", expected ${poison.expectedCode} and a reason`,
    );
  if (
    poison.parkedNotBefore !== undefined &&
    !(failedAt >= poison.parkedNotBefore)
  )
    violations.push(
      `poison "${poison.kind}" parked at ${new Date(failedAt).toISOString()}, during the fault (not before ${new Date(poison.parkedNotBefore).toISOString()}): ${code} ${reason}`,
    );
}
