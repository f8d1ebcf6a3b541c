import { z } from 'zod';

/** One default per setting, for the local stack that `npm run stack:up` starts. */
export const ENVIRONMENT_DEFAULTS = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/subtasks',
  LOG_LEVEL: 'info',
} as const;

const hostPort = /^[^\s:/]+:\d{1,5}$/;

const brokers = z
  .string()
  .trim()
  .transform((value) => value.split(',').map((broker) => broker.trim()))
  .refine((list) => list.length > 0 && list.every((b) => hostPort.test(b)), {
    message: 'must be a comma-separated list of host:port, e.g. 127.0.0.1:9092',
  });

const httpUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .transform((value) => value.replace(/\/+$/, ''));

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => /^postgres(ql)?:\/\/[^/]+\/[^/?]+/.test(value), {
    message:
      'must be postgresql://user[:password]@host:port/database, e.g. postgresql://postgres@127.0.0.1:5432/subtasks',
  });

export const port = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a TCP port number' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 65535')
    .max(65535, 'must be between 1 and 65535')
    .default(fallback);

export const milliseconds = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .positive('must be positive')
    .default(fallback);

export const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .transform((value) => value === 'true')
    .prefault(fallback ? 'true' : 'false');

/** Settings both apps share: where the stack is, and how to log. */
export const sharedEnvironment = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development'),
  KAFKA_BROKERS: brokers.prefault(ENVIRONMENT_DEFAULTS.KAFKA_BROKERS),
  SCHEMA_REGISTRY_URL: httpUrl.prefault(
    ENVIRONMENT_DEFAULTS.SCHEMA_REGISTRY_URL,
  ),
  DATABASE_URL: postgresUrl.default(ENVIRONMENT_DEFAULTS.DATABASE_URL),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default(ENVIRONMENT_DEFAULTS.LOG_LEVEL),
  KAFKA_REQUEST_TIMEOUT_MS: milliseconds(10_000),
  SHUTDOWN_TIMEOUT_MS: milliseconds(10_000),
});

export type SharedEnvironment = z.infer<typeof sharedEnvironment>;

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'InvalidEnvironmentError';
  }
}

/**
 * Parses the process environment with a schema, reporting every bad variable by name and value,
 * e.g. `KAFKA_BROKERS: must be a comma-separated list of host:port (got "nope")`.
 */
export function parseEnvironment<Schema extends z.ZodType>(
  schema: Schema,
  env: Record<string, unknown>,
): z.infer<Schema> {
  const result = schema.safeParse(emptyAsUnset(env));
  if (result.success) return result.data;
  throw new InvalidEnvironmentError(
    result.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const given =
        issue.path.length > 0 ? env[String(issue.path[0])] : undefined;
      const shown = given === undefined ? '' : ` (got "${String(given)}")`;
      return `${name}: ${issue.message}${shown}`;
    }),
  );
}

function emptyAsUnset(env: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== ''),
  );
}
