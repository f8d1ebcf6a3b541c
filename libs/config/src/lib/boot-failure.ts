import { InvalidEnvironmentError } from './environment';
import { scrubSecrets, secretValuesOf } from './secrets';

/**
 * What an app prints when it cannot start: the message alone for failures that explain themselves
 * (bad configuration, a refused connection), the stack for anything else; never a secret of `env`.
 */
export function bootFailureText(
  error: unknown,
  env: Record<string, unknown>,
): string {
  const text =
    error instanceof InvalidEnvironmentError
      ? error.message
      : error instanceof Error && isExplained(error)
        ? `${error.name}: ${error.message}`
        : error instanceof Error
          ? (error.stack ?? `${error.name}: ${error.message}`)
          : String(error);
  return scrubSecrets(text, secretValuesOf(env));
}

/** Errors whose message already says what to fix (they carry a stable code). */
function isExplained(error: Error): boolean {
  return typeof Reflect.get(error, 'code') === 'string';
}
