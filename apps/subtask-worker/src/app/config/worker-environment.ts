import { milliseconds, port, sharedEnvironment } from '@subtasks/config';
import { z } from 'zod';

export const workerEnvironment = sharedEnvironment.extend({
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  /** HTTP port of the worker's health endpoint (the worker has no other HTTP surface). */
  WORKER_HEALTH_PORT: port(3001),
  /** Attempts for a transiently failing step (database, broker) before the message is dead-lettered. */
  WORKER_RETRY_ATTEMPTS: z.coerce
    .number({ message: 'must be a whole number of attempts' })
    .int('must be a whole number of attempts')
    .min(1, 'must be at least 1')
    .max(20, 'must be at most 20')
    .default(6),
  WORKER_RETRY_BASE_MS: milliseconds(250),
});

export type WorkerEnvironment = z.infer<typeof workerEnvironment>;
