import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpStatus,
} from '@nestjs/common';
import type { Response } from 'express';
import {
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
};

/** The edge where domain error codes become HTTP statuses; the body keeps the stable code. */
@Catch(SubtaskError)
export class SubtaskErrorFilter implements ExceptionFilter<SubtaskError> {
  catch(error: SubtaskError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const statusCode = STATUS[error.code];
    response.status(statusCode).json({
      statusCode,
      code: error.code,
      message: error.message,
      ...(error instanceof UploadInFlightError
        ? { requestId: error.inFlightRequestId }
        : {}),
      ...(error instanceof UploadNotPublishedError
        ? { requestId: error.requestId }
        : {}),
    });
  }
}
