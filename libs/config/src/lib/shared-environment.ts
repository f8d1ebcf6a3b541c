import { z } from 'zod';
import {
  checkKafkaConnection,
  kafkaEnvironment,
} from './connections/kafka-connection';
import {
  checkRegistryConnection,
  registryEnvironment,
} from './connections/registry-connection';
import {
  checkTopicPolicy,
  topicPolicyEnvironment,
} from './connections/topic-policy';
import { ENVIRONMENT_DEFAULTS } from './defaults';
import { milliseconds, reportProblems } from './environment';

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => /^postgres(ql)?:\/\/[^/]+\/[^/?]+/.test(value), {
    message:
      'must be postgresql://user[:password]@host:port/database[?sslmode=…], e.g. postgresql://postgres@127.0.0.1:5432/subtasks',
  });

const sharedVariables = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development'),
  ...kafkaEnvironment.shape,
  ...topicPolicyEnvironment.shape,
  ...registryEnvironment.shape,
  DATABASE_URL: postgresUrl.default(ENVIRONMENT_DEFAULTS.DATABASE_URL),
  /** A statement running longer is cancelled (and retried as a transient failure). */
  DB_STATEMENT_TIMEOUT_MS: milliseconds(5_000),
  DB_CONNECT_TIMEOUT_MS: milliseconds(3_000),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default(ENVIRONMENT_DEFAULTS.LOG_LEVEL),
  /** `json` lines (the default), or `pretty` readable lines for a developer's terminal. */
  LOG_FORMAT: z
    .enum(['json', 'pretty'], { message: 'must be json or pretty' })
    .default('json'),
  SHUTDOWN_TIMEOUT_MS: milliseconds(10_000),
});

/**
 * Settings both apps share: where the stack is, how to reach it securely, and how to log. Checks that
 * span variables (TLS files, SASL and registry credentials) run once every variable parses.
 */
export const sharedEnvironment = sharedVariables.superRefine((env, context) =>
  reportProblems(
    [
      ...checkKafkaConnection(env).problems,
      ...checkTopicPolicy(env),
      ...checkRegistryConnection(env).problems,
    ],
    context,
  ),
);

export type SharedEnvironment = z.infer<typeof sharedEnvironment>;
