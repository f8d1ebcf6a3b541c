import { HttpStatus } from '@nestjs/common';

export const ERROR_CODES = {
  databaseUnavailable: 'DATABASE_UNAVAILABLE',
  internalError: 'INTERNAL_ERROR',
} as const;

interface ErrorAnswer {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
}

/** Fixed texts: a driver's or broker's message never reaches a client, only the log. */
export const databaseUnavailable = (
  retryAfterSeconds: number,
): ErrorAnswer => ({
  statusCode: HttpStatus.SERVICE_UNAVAILABLE,
  code: ERROR_CODES.databaseUnavailable,
  message: `the database is unavailable; retry after ${retryAfterSeconds} s`,
});

export const internalError = (): ErrorAnswer => ({
  statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
  code: ERROR_CODES.internalError,
  message:
    'internal error; report the X-Request-Id of this answer to find it in the log',
});
