import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { backOff } from 'exponential-backoff';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { WorkerEnvironment } from '../config/worker-environment';

/**
 * Retries transient failures (database or broker briefly away) with exponential backoff and full
 * jitter. When the attempts are spent the last error propagates, and the message is dead-lettered.
 */
@Injectable()
export class RetryPolicy {
  constructor(
    private readonly config: ConfigService<WorkerEnvironment, true>,
    @InjectPinoLogger(RetryPolicy.name) private readonly logger: PinoLogger,
  ) {}

  run<T>(what: string, context: object, attempt: () => Promise<T>): Promise<T> {
    const attempts = this.config.get('WORKER_RETRY_ATTEMPTS', { infer: true });
    return backOff(attempt, {
      numOfAttempts: attempts,
      startingDelay: this.config.get('WORKER_RETRY_BASE_MS', { infer: true }),
      maxDelay: 5_000,
      jitter: 'full',
      retry: (error: unknown, attemptNumber: number) => {
        const log = {
          ...context,
          err: error,
          attempt: attemptNumber,
          attempts,
        };
        if (attemptNumber < attempts) {
          this.logger.warn(log, `${what} failed; retrying`);
        } else {
          this.logger.error(log, `${what} failed; attempts spent`);
        }
        return true;
      },
    });
  }
}
