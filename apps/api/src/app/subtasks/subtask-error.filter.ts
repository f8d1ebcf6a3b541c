import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpStatus,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Response } from 'express';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { ApiEnvironment } from '../config/api-environment';
import {
  IdempotencyKeyReusedError,
  SUBTASK_ERROR_CODES,
  SubtaskError,
  type SubtaskErrorCode,
  UploadInFlightError,
  UploadNotPublishedError,
} from './subtask.errors';

const STATUS: Record<SubtaskErrorCode, HttpStatus> = {
  [SUBTASK_ERROR_CODES.notFound]: HttpStatus.NOT_FOUND,
  [SUBTASK_ERROR_CODES.uploadInFlight]: HttpStatus.CONFLICT,
  [SUBTASK_ERROR_CODES.uploadNotPublished]: HttpStatus.SERVICE_UNAVAILABLE,
  [SUBTASK_ERROR_CODES.idempotencyKeyReused]: HttpStatus.UNPROCESSABLE_ENTITY,
};

/** What a client is told when Kafka did not take the command; why is for the log. */
const NOT_PUBLISHED_MESSAGE =
  'the upload command could not be published, so the upload was not started; retry later';

/** The edge where domain error codes become HTTP statuses; the body keeps the stable code. */
@Catch(SubtaskError)
export class SubtaskErrorFilter implements ExceptionFilter<SubtaskError> {
  constructor(
    private readonly config: ConfigService<ApiEnvironment, true>,
    @InjectPinoLogger(SubtaskErrorFilter.name)
    private readonly logger: PinoLogger,
  ) {}

  catch(error: SubtaskError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const statusCode = STATUS[error.code];
    let message = error.message;
    if (error instanceof UploadNotPublishedError) {
      const { subtaskId, requestId, reason } = error;
      this.logger.warn(
        { subtaskId, requestId, reason },
        'upload command not published: answered 503',
      );
      response.setHeader(
        'Retry-After',
        String(this.config.get('API_RETRY_AFTER_SECONDS', { infer: true })),
      );
      message = NOT_PUBLISHED_MESSAGE;
    }
    response.status(statusCode).json({
      statusCode,
      code: error.code,
      message,
      ...(error instanceof UploadInFlightError
        ? { requestId: error.inFlightRequestId }
        : {}),
      ...(error instanceof UploadNotPublishedError ||
      error instanceof IdempotencyKeyReusedError
        ? { requestId: error.requestId }
        : {}),
    });
  }
}
