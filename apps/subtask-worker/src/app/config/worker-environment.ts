import { port, sharedEnvironment } from '@subtasks/config';
import { z } from 'zod';

export const workerEnvironment = sharedEnvironment.extend({
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  /** HTTP port of the worker's health endpoint (the worker has no other HTTP surface). */
  WORKER_HEALTH_PORT: port(3001),
});

export type WorkerEnvironment = z.infer<typeof workerEnvironment>;
