export const DEFAULT_DATABASE_URL =
  'postgresql://postgres@127.0.0.1:5432/subtasks';

/** The DATABASE_URL the CLI works on, validated so a typo names the variable. */
export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const value = env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`DATABASE_URL is not a valid URL: "${value}"`);
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    throw new Error(
      `DATABASE_URL must start with postgresql:// (got "${url.protocol}")`,
    );
  }
  if (url.pathname.length <= 1) {
    throw new Error('DATABASE_URL must name a database, e.g. /subtasks');
  }
  return value;
}
