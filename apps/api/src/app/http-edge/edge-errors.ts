import {
  HttpException,
  HttpStatus,
  UnauthorizedException,
} from '@nestjs/common';

export const EDGE_ERROR_CODES = {
  unauthorized: 'UNAUTHORIZED',
  rateLimited: 'RATE_LIMITED',
} as const;

export type MissingOrInvalid = 'missing' | 'invalid';

/** RFC 6750 §3: no error code when credentials are absent, `invalid_token` when they are wrong. */
export function bearerChallenge(outcome: MissingOrInvalid): string {
  return outcome === 'missing' ? 'Bearer' : 'Bearer error="invalid_token"';
}

/** The 401 body; the presented token is never part of it. */
export function unauthorizedBody(outcome: MissingOrInvalid) {
  return {
    statusCode: HttpStatus.UNAUTHORIZED,
    code: EDGE_ERROR_CODES.unauthorized,
    message:
      outcome === 'missing'
        ? 'authentication required: send Authorization: Bearer <token>'
        : 'the bearer token is not valid',
  };
}

export function unauthorized(outcome: MissingOrInvalid): HttpException {
  return new UnauthorizedException(unauthorizedBody(outcome));
}

export function rateLimited(
  limit: number,
  windowMs: number,
  retryAfterSeconds: number,
): HttpException {
  return new HttpException(
    {
      statusCode: HttpStatus.TOO_MANY_REQUESTS,
      code: EDGE_ERROR_CODES.rateLimited,
      message: `at most ${limit} requests per ${windowMs} ms per client; retry after ${retryAfterSeconds} s`,
    },
    HttpStatus.TOO_MANY_REQUESTS,
  );
}
