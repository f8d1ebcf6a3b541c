import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import { type Params, PinoLogger } from 'nestjs-pino';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Options } from 'pino-http';
import pinoPretty from 'pino-pretty';
import { REDACTED, scrubSecrets } from './secrets';

export const REQUEST_ID_HEADER = 'x-request-id';

/** `json` (one object per line, the default) or `pretty` (readable lines, for a person at a terminal). */
export type LogFormat = 'json' | 'pretty';

export const LOG_FORMAT_VARIABLE = 'LOG_FORMAT';

export class LogFormatError extends Error {
  override readonly name = 'LogFormatError';
}

/** LOG_FORMAT: unset or `json` → JSON lines; `pretty` → readable lines (`npm start` sets it). */
export function logFormatOf(env: NodeJS.ProcessEnv = process.env): LogFormat {
  const value = env[LOG_FORMAT_VARIABLE]?.trim() ?? '';
  if (value === '' || value === 'json') return 'json';
  if (value === 'pretty') return 'pretty';
  throw new LogFormatError(
    `${LOG_FORMAT_VARIABLE} must be json or pretty (got "${value}")`,
  );
}

/**
 * One line per entry: time, level, service, context and message first, then the HTTP request's
 * method, URL and status; every other field (requestId, subtaskId, kafkajs's broker, groupId…)
 * follows as JSON on the same line.
 */
export function prettyStream(
  options: { colorize?: boolean; destination?: NodeJS.WritableStream } = {},
): DestinationStream {
  return pinoPretty({
    ...options,
    // In order with the apps' other output, and nothing lost when a process exits at once.
    sync: true,
    singleLine: true,
    // kafkajs's `error` is a message string: kept on the line, not unfolded as an error object.
    errorLikeObjectKeys: ['err'],
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,service,context,req,res',
    messageFormat:
      '{service}{if context} [{context}]{end} {msg}{if req.method} {req.method} {req.url}{end}{if res.statusCode} -> {res.statusCode}{end}',
  });
}

/** The request id of the consumed message being handled, if any. */
const messageRequestId = new AsyncLocalStorage<string>();

/**
 * Handles a consumed message (messaging's `messageScope`) with the request id it carried on every
 * line the service's loggers write meanwhile — the handler's, the failure policy's, the database's —
 * under the key an HTTP request's lines use, so one upload's lines join across both apps without any
 * handler copying the id. A line that names its own request id keeps it, so no key is written twice.
 */
export function withCarriedRequestIdInLogs<T>(
  carried: Readonly<Record<string, string>>,
  handle: () => Promise<T>,
): Promise<T> {
  const requestId = carried[REQUEST_ID_HEADER];
  return requestId === undefined
    ? handle()
    : messageRequestId.run(requestId, handle);
}

/** pino's mixin: merged under each line's own fields. */
function messageFields(): { requestId?: string } {
  const requestId = messageRequestId.getStore();
  return requestId === undefined ? {} : { requestId };
}

/** The settings of the last `loggerParams`, for lines written before Nest has made its logger. */
let configured: { options: Options; stream?: DestinationStream } | undefined;
let early: Logger | undefined;

/**
 * The service's pino logger, for libraries that log without Nest (kafkajs, see messaging): Nest's
 * once its LoggerModule has made it; before that (a consumer may start before the HTTP app) one with
 * the same settings and destination; undefined in processes that configured none (tools, tests).
 */
export function serviceLogger(): Logger | undefined {
  // Declared non-null by nestjs-pino, but only assigned when its middleware is set up.
  const root = PinoLogger.root as Logger | undefined;
  if (root !== undefined) return root;
  if (configured === undefined) return undefined;
  const { level, base, redact, hooks } = configured.options;
  // pino takes an explicit `hooks: undefined` for hooks without their functions.
  early ??= pino(
    {
      level,
      base,
      redact,
      mixin: messageFields,
      ...(hooks === undefined ? {} : { hooks }),
    },
    configured.stream,
  );
  return early;
}

/**
 * Structured JSON logs (pino): one object per line, the service name on each, the request id on every
 * line of an HTTP request's path (taken from X-Request-Id or generated, and echoed back). `secrets`
 * (see `secretValuesOf`) are replaced by `***` in every line, whatever quoted them. With `format`
 * `pretty` (LOG_FORMAT) the same entries are printed as readable lines.
 */
export function loggerParams(
  service: string,
  level: string,
  secrets: readonly string[] = [],
  format: LogFormat = logFormatOf(),
): Params {
  const options: Options = {
    level,
    base: { service },
    mixin: messageFields,
    // A client's bearer token (right or mistyped) must never reach a log line.
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie'],
      censor: REDACTED,
    },
    ...(secrets.length === 0
      ? {}
      : {
          hooks: {
            streamWrite: (line: string) => scrubSecrets(line, secrets),
          },
        }),
    genReqId: (request: IncomingMessage, response) => {
      const given = request.headers[REQUEST_ID_HEADER];
      const id =
        typeof given === 'string' && given.length > 0 ? given : randomUUID();
      response.setHeader(REQUEST_ID_HEADER, id);
      return id;
    },
    customProps: (request: IncomingMessage) => ({
      requestId: (request as IncomingMessage & { id?: unknown }).id,
    }),
    autoLogging: {
      ignore: (request: IncomingMessage) => request.url === '/health',
    },
  };
  const stream = format === 'pretty' ? prettyStream() : undefined;
  configured = { options, stream };
  early = undefined;
  return {
    pinoHttp: stream === undefined ? options : [options, stream],
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
  };
}
