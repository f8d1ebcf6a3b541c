import { STATUS_CODES } from 'node:http';
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { databaseFailureKind } from '@subtasks/subtasks-db';
import type { Response } from 'express';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { type Observable, throwError } from 'rxjs';
import type { ApiEnvironment } from '../config/api-environment';
import { databaseUnavailable, internalError } from './error-answers';

/**
 * The last word on any error of an HTTP request that no narrower filter took (Nest tries the filters
 * registered later first, so SubtasksModule's, registered after this one, see their errors first).
 * HttpExceptions and other 4xx refusals keep their status; a database that cannot be reached is 503
 * with Retry-After; anything else is a generic 500. Causes are logged with the request, never sent.
 */
@Catch()
export class HttpErrorsFilter implements ExceptionFilter {
  constructor(
    private readonly config: ConfigService<ApiEnvironment, true>,
    @InjectPinoLogger(HttpErrorsFilter.name)
    private readonly logger: PinoLogger,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    // Kafka handlers of this hybrid app keep their transport's own error handling.
    if (host.getType() !== 'http') return throwError(() => exception);
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const answer = exception.getResponse();
      return reply(
        response,
        status,
        typeof answer === 'object'
          ? answer
          : { statusCode: status, message: answer },
      );
    }
    const refused = clientErrorStatus(exception);
    if (refused !== undefined)
      return reply(response, refused, {
        statusCode: refused,
        message: STATUS_CODES[refused] ?? 'Bad Request',
      });
    if (databaseFailureKind(exception) === 'unavailable') {
      const retryAfter = this.config.get('API_RETRY_AFTER_SECONDS', {
        infer: true,
      });
      this.logger.warn(
        { err: exception },
        'database unavailable: answered 503',
      );
      response.setHeader('Retry-After', String(retryAfter));
      return reply(response, 503, databaseUnavailable(retryAfter));
    }
    this.logger.error({ err: exception }, 'unexpected error: answered 500');
    return reply(response, 500, internalError());
  }
}

/** The 4xx of an http-errors refusal from Express's own layers (static files, routing). */
function clientErrorStatus(exception: unknown): number | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { status, statusCode, expose } = exception as Record<string, unknown>;
  const code = typeof statusCode === 'number' ? statusCode : status;
  return typeof code === 'number' &&
    code >= 400 &&
    code < 500 &&
    expose !== false
    ? code
    : undefined;
}

function reply(response: Response, status: number, body: unknown): void {
  if (response.headersSent) {
    response.end();
    return;
  }
  response.status(status).json(body);
}
