import {
  ENVIRONMENT_DEFAULTS,
  flag,
  milliseconds,
  port,
  sharedEnvironment,
} from '@subtasks/config';
import { z } from 'zod';

export const MIN_TOKEN_LENGTH = 16;

/** RFC 6750 `b64token`: what may follow `Bearer ` in an Authorization header. */
const TOKEN_CHARACTERS = /^[A-Za-z0-9\-._~+/]+=*$/;

/*
 * Messages name a token by its position, never by its value: tokens are secrets. Issues stay on the
 * path `API_TOKENS` itself (not `API_TOKENS.1`) so that parseEnvironment redacts the value it shows.
 */
const bearerTokens = z
  .string()
  .transform((value) => value.split(',').map((token) => token.trim()))
  .superRefine((tokens, context) => {
    tokens.forEach((token, index) => {
      const which = `token ${index + 1} of ${tokens.length}`;
      if (token.length < MIN_TOKEN_LENGTH) {
        context.addIssue({
          code: 'custom',
          message: `${which} must be at least ${MIN_TOKEN_LENGTH} characters long`,
        });
      } else if (!TOKEN_CHARACTERS.test(token)) {
        context.addIssue({
          code: 'custom',
          message: `${which} may only contain A-Z a-z 0-9 - . _ ~ + / (and trailing =)`,
        });
      }
    });
  });

/** Unset: decided elsewhere from NODE_ENV. */
const optionalFlag = z
  .enum(['true', 'false'], { message: 'must be true or false' })
  .transform((value) => value === 'true')
  .optional();

export const apiEnvironment = sharedEnvironment
  .extend({
    HOST: z.string().trim().min(1).default('127.0.0.1'),
    PORT: port(ENVIRONMENT_DEFAULTS.PORT),
    /** How long `send` waits for the worker's reply (and `?wait=true` the caller). */
    UPLOAD_REPLY_TIMEOUT_MS: milliseconds(30_000),
    /** An upload still flagged after this long is timed out by the reconciler. */
    UPLOAD_DEADLINE_MS: milliseconds(60_000),
    RECONCILE_INTERVAL_MS: milliseconds(5_000),
    /**
     * Consume the worker's completion events (group subtask-api). `false` runs an HTTP-only instance;
     * at least one instance must consume them, or flags clear only by reply or reconciler.
     */
    CONSUME_COMPLETION_EVENTS: flag(true),
    /** How long an Idempotency-Key is remembered: a retry after this is a new upload. */
    IDEMPOTENCY_KEY_TTL_MS: milliseconds(86_400_000),
    /** Accepted bearer tokens, comma-separated. Unset: no authentication (refused in production). */
    API_TOKENS: bearerTokens.optional(),
    /** The explicit opt-out that lets production run without API_TOKENS. */
    API_AUTH_DISABLED: flag(false),
    /** OpenAPI UI at /docs; unset: on, except in production. */
    API_DOCS_ENABLED: optionalFlag,
    /** Requests per window per client; 0 turns the limit off. */
    API_RATE_LIMIT: z.coerce
      .number({ message: 'must be a number of requests' })
      .int('must be a whole number of requests')
      .min(0, 'must be 0 (no limit) or more')
      .default(600),
    API_RATE_LIMIT_WINDOW_MS: milliseconds(60_000),
    /** The Retry-After of a 503 (database unavailable, upload command not published). */
    API_RETRY_AFTER_SECONDS: z.coerce
      .number({ message: 'must be a number of seconds' })
      .int('must be a whole number of seconds')
      .min(1, 'must be between 1 and 86400 seconds')
      .max(86_400, 'must be between 1 and 86400 seconds')
      .default(5),
  })
  .superRefine((env, context) => {
    if (env.UPLOAD_DEADLINE_MS <= env.UPLOAD_REPLY_TIMEOUT_MS) {
      context.addIssue({
        code: 'custom',
        path: ['UPLOAD_DEADLINE_MS'],
        message:
          `must be greater than UPLOAD_REPLY_TIMEOUT_MS (${env.UPLOAD_REPLY_TIMEOUT_MS} ms): ` +
          'the reconciler would time out uploads whose reply is still awaited',
      });
    }
    const hasTokens = env.API_TOKENS !== undefined;
    if (env.NODE_ENV === 'production' && !hasTokens && !env.API_AUTH_DISABLED) {
      context.addIssue({
        code: 'custom',
        path: ['API_TOKENS'],
        message:
          'is required when NODE_ENV=production: set the comma-separated bearer tokens clients must send, ' +
          'or set API_AUTH_DISABLED=true to serve without authentication',
      });
    }
    if (hasTokens && env.API_AUTH_DISABLED) {
      context.addIssue({
        code: 'custom',
        path: ['API_AUTH_DISABLED'],
        message:
          'cannot be true while API_TOKENS is set: unset one of them so it is clear whether auth is on',
      });
    }
  });

export type ApiEnvironment = z.infer<typeof apiEnvironment>;
