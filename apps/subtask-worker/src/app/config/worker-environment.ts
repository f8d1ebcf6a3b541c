import {
  ENVIRONMENT_DEFAULTS,
  milliseconds,
  port,
  sharedEnvironment,
} from '@subtasks/config';
import { z } from 'zod';

const count = (what: string, min: number, max: number, fallback: number) =>
  z.coerce
    .number({ message: `must be a whole number of ${what}` })
    .int(`must be a whole number of ${what}`)
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(fallback);

export const workerEnvironment = sharedEnvironment.extend({
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  /** HTTP port of the worker's health endpoint (the worker has no other HTTP surface). */
  WORKER_HEALTH_PORT: port(ENVIRONMENT_DEFAULTS.WORKER_HEALTH_PORT),
  /**
   * Attempts for a failure of unknown kind before the command is parked. Transient failures (the
   * database or the broker away) are retried without limit; permanent ones are parked at once.
   */
  WORKER_RETRY_ATTEMPTS: count('attempts', 1, 20, 6),
  /** First backoff step between attempts (doubling, with jitter, up to 5 s). */
  WORKER_RETRY_BASE_MS: milliseconds(250),
  /**
   * Command partitions handled at the same time: one partition's commands (so one subtask's) stay in
   * order; across partitions the database waits overlap.
   */
  WORKER_CONCURRENT_PARTITIONS: count('partitions', 1, 64, 3),
  /** How often the outbox relay looks for events to publish (it also runs after every store). */
  OUTBOX_POLL_INTERVAL_MS: milliseconds(500),
  OUTBOX_BATCH_SIZE: count('events', 1, 1_000, 100),
  /** Published events are deleted from the outbox after this long. */
  OUTBOX_RETENTION_MS: milliseconds(3_600_000),
  /** Fault injection for the fault suite only: die (as by kill -9) after this many stored results. */
  WORKER_FAULT_CRASH_AFTER_COMMITS: z.coerce
    .number({ message: 'must be a whole number of commits' })
    .int('must be a whole number of commits')
    .positive('must be positive')
    .optional(),
});

export type WorkerEnvironment = z.infer<typeof workerEnvironment>;
