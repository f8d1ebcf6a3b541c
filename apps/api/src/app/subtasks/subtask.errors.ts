export const SUBTASK_ERROR_CODES = {
  notFound: 'SUBTASK_NOT_FOUND',
  uploadInFlight: 'UPLOAD_IN_FLIGHT',
  uploadNotPublished: 'UPLOAD_NOT_PUBLISHED',
  idempotencyKeyReused: 'IDEMPOTENCY_KEY_REUSED',
} as const;

export type SubtaskErrorCode =
  (typeof SUBTASK_ERROR_CODES)[keyof typeof SUBTASK_ERROR_CODES];

/** Domain errors of the subtasks feature, each with a stable code; mapped to HTTP by SubtaskErrorFilter. */
export abstract class SubtaskError extends Error {
  abstract readonly code: SubtaskErrorCode;
}

export class SubtaskNotFoundError extends SubtaskError {
  readonly code = SUBTASK_ERROR_CODES.notFound;
  constructor(readonly subtaskId: string) {
    super(`subtask ${subtaskId} does not exist`);
  }
}

export class UploadInFlightError extends SubtaskError {
  readonly code = SUBTASK_ERROR_CODES.uploadInFlight;
  constructor(
    readonly subtaskId: string,
    readonly inFlightRequestId: string | null,
  ) {
    super(
      `subtask ${subtaskId} is already uploading (request ${inFlightRequestId ?? 'unknown'}); retry when it is done`,
    );
  }
}

export class UploadNotPublishedError extends SubtaskError {
  readonly code = SUBTASK_ERROR_CODES.uploadNotPublished;
  constructor(
    readonly subtaskId: string,
    readonly requestId: string,
    readonly reason: string,
  ) {
    super(
      `the upload command for subtask ${subtaskId} could not be published: ${reason}`,
    );
  }
}

export class IdempotencyKeyReusedError extends SubtaskError {
  readonly code = SUBTASK_ERROR_CODES.idempotencyKeyReused;
  constructor(
    readonly subtaskId: string,
    readonly requestId: string,
  ) {
    super(
      `this Idempotency-Key was already used for subtask ${subtaskId} with a different body (request ${requestId}); use a new key for a new upload`,
    );
  }
}
