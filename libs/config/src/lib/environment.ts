import { z } from 'zod';
import { shownValue } from './secrets';

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

/** A path to a file the process must read (a certificate, a key). */
export const filePath = z.string().trim().min(1, 'must be a file path');

/** One bad variable, for checks that look at several variables together. */
export interface EnvironmentProblem {
  readonly variable: string;
  readonly message: string;
}

export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'InvalidEnvironmentError';
  }

  /** Problems found after parsing, e.g. by a connection check. */
  static of(problems: readonly EnvironmentProblem[]): InvalidEnvironmentError {
    return new InvalidEnvironmentError(
      problems.map(({ variable, message }) => `${variable}: ${message}`),
    );
  }
}

/** Adds problems found across variables to a zod refinement, each on its variable. */
export function reportProblems(
  problems: readonly EnvironmentProblem[],
  context: z.RefinementCtx,
): void {
  for (const { variable, message } of problems) {
    context.addIssue({ code: 'custom', path: [variable], message });
  }
}

/**
 * Parses the process environment with a schema, reporting every bad variable by name and value,
 * e.g. `KAFKA_BROKERS: must be a comma-separated list of host:port (got "nope")`. Secrets are shown
 * as `***` and URLs without their password.
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
      const shown =
        given === undefined || given === ''
          ? ''
          : ` (got "${shownValue(name, given)}")`;
      return `${name}: ${issue.message}${shown}`;
    }),
  );
}

function emptyAsUnset(env: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== ''),
  );
}
