import { port, sharedEnvironment } from '@subtasks/config';
import { z } from 'zod';

export const apiEnvironment = sharedEnvironment.extend({
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: port(3000),
});

export type ApiEnvironment = z.infer<typeof apiEnvironment>;
