import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { REDACTED, scrubSecrets } from './secrets';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * Structured JSON logs (pino): one object per line, the service name on each, the request id on every
 * line of an HTTP request's path (taken from X-Request-Id or generated, and echoed back). `secrets`
 * (see `secretValuesOf`) are replaced by `***` in every line, whatever quoted them.
 */
export function loggerParams(
  service: string,
  level: string,
  secrets: readonly string[] = [],
): Params {
  return {
    pinoHttp: {
      level,
      base: { service },
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
    },
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
  };
}
