import {
  UPLOAD_OUTCOME_DEFAULT,
  UPLOAD_OUTCOME_SYMBOLS,
  type UploadOutcome,
} from '@subtasks/contracts';
import {
  LOCAL_UPLOAD_OUTCOME,
  type LocalUploadOutcome,
} from '@subtasks/subtasks-db';

/** How an upload ended: the worker's outcomes (the reply contract's enum) and the API's own. */
export type SettledOutcome = UploadOutcome | LocalUploadOutcome;

export const SETTLED_OUTCOMES: readonly SettledOutcome[] = [
  ...UPLOAD_OUTCOME_SYMBOLS,
  ...Object.values(LOCAL_UPLOAD_OUTCOME),
];

const KNOWN = new Set<string>(SETTLED_OUTCOMES);

/**
 * A stored outcome as the type says. The database keeps text: one this API does not know (written by
 * a newer worker) reads as the contract's default, as an Avro reader reads an unknown enum symbol.
 */
export function settledOutcomeOf(stored: string): SettledOutcome {
  return KNOWN.has(stored)
    ? (stored as SettledOutcome)
    : UPLOAD_OUTCOME_DEFAULT;
}
