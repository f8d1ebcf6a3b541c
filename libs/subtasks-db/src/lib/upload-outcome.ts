/**
 * Outcomes the API records itself, beside the worker's (STORED, ALREADY_STORED, REJECTED, UNKNOWN,
 * from the reply contract).
 */
export const LOCAL_UPLOAD_OUTCOME = {
  /** No reply or completion event before the deadline; set by the reconciler. */
  timedOut: 'TIMED_OUT',
  /** Kafka refused the command; the flag was put back. */
  publishFailed: 'PUBLISH_FAILED',
} as const;

/** An outcome the API records itself. */
export type LocalUploadOutcome =
  (typeof LOCAL_UPLOAD_OUTCOME)[keyof typeof LOCAL_UPLOAD_OUTCOME];
