/** What every error and log line shows in place of a secret. */
export const REDACTED = '***';

// `…_HEADERS`: OTEL_EXPORTER_OTLP_HEADERS and the like carry a collector's credentials.
const SECRET_VARIABLE = /(PASSWORD|TOKEN|TOKENS|SECRET|_HEADERS)$/;
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):[^@/?#\s]*@/i;

/** Variables whose values are never shown: passwords, tokens, secrets, request headers. */
export function isSecretVariable(name: string): boolean {
  return SECRET_VARIABLE.test(name);
}

/** The URL with its password (if any) replaced by `***`: `postgresql://app:***@db/subtasks`. */
export function redactUrl(value: string): string {
  return value.replace(URL_PASSWORD, `$1:${REDACTED}@`);
}

/** A variable's value as an error message may show it: secrets as `***`, URLs without password. */
export function shownValue(name: string, value: unknown): string {
  if (isSecretVariable(name)) return REDACTED;
  return redactUrl(String(value));
}

/**
 * The secret values of an environment: every secret variable's value and the password in any URL
 * value. Used to scrub text that may quote them (a driver's error, a log line) before it is shown.
 */
export function secretValuesOf(env: Record<string, unknown>): string[] {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (typeof value !== 'string' || value === '') continue;
    if (isSecretVariable(name)) {
      values.add(value);
      for (const part of value.split(',')) {
        if (part.trim()) values.add(part.trim());
        // `name=value` lists (OTLP headers): the value alone, e.g. in a URL-decoded echo.
        const assigned = part.slice(part.indexOf('=') + 1).trim();
        if (part.includes('=') && assigned) values.add(assigned);
      }
      continue;
    }
    const password = URL_PASSWORD.exec(value)?.[0].match(/:([^:@]*)@$/)?.[1];
    if (password) {
      values.add(password);
      values.add(safeDecode(password));
    }
  }
  // Longest first, so a secret containing another is replaced whole.
  return [...values]
    .filter((v) => v.length >= 3)
    .sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of the given secrets replaced by `***`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const secret of secrets)
    scrubbed = scrubbed.split(secret).join(REDACTED);
  return scrubbed;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
