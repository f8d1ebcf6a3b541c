import type { HttpException } from '@nestjs/common';
import {
  invalidInput,
  payloadTooLarge,
  unsupportedMediaType,
} from './input-errors';

/** The `type` of parseJsonBody's own refusal of bytes that are not UTF-8. */
export const INVALID_UTF8 = 'encoding.invalid';

/** What body-parser (http-errors) attaches to the errors it passes on. */
interface BodyReadError {
  readonly status?: unknown;
  readonly type?: unknown;
  readonly body?: unknown;
}

/**
 * body-parser's refusals as this api's answers. Their own messages are replaced: they quote the
 * body ("Unexpected token … in "…"") or come from zlib. Anything that is no refusal (no 4xx status)
 * is returned unchanged, for the error filter to treat as unexpected.
 */
export function bodyReadAnswer(error: unknown, limit: string): unknown {
  const { status, type, body } = (error ?? {}) as BodyReadError;
  if (typeof status !== 'number' || status < 400 || status >= 500) return error;
  switch (type) {
    case 'entity.too.large':
      return payloadTooLarge(limit);
    case 'charset.unsupported':
      return unsupportedMediaType('the body must be JSON in UTF-8');
    case 'encoding.unsupported':
      return unsupportedMediaType(
        'Content-Encoding must be gzip, deflate, br or identity',
      );
    case 'entity.parse.failed':
      return parseFailure(body);
    case INVALID_UTF8:
      return invalidInput(['the body must be valid UTF-8']);
    default:
      return invalidInput([
        'the body could not be read (is its Content-Encoding right?)',
      ]);
  }
}

function parseFailure(body: unknown): HttpException {
  // body-parser's strict mode refuses a top-level string, number or literal before JSON.parse.
  const first = typeof body === 'string' ? body.trimStart()[0] : undefined;
  return invalidInput([
    first === '{' || first === '['
      ? 'the body is not valid JSON'
      : 'the body must be a JSON object',
  ]);
}
