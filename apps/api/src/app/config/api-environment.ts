import { flag, milliseconds, port, sharedEnvironment } from '@subtasks/config';
import { z } from 'zod';

export const apiEnvironment = sharedEnvironment.extend({
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: port(3000),
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
});

export type ApiEnvironment = z.infer<typeof apiEnvironment>;
