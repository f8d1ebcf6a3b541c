import { existsSync } from 'node:fs';
import { redactDatabaseUrl } from '../src/lib/connection-url';

export const DEFAULT_DATABASE_URL =
  'postgresql://postgres@127.0.0.1:5432/subtasks';

/** libpq's modes plus node-postgres's no-verify; their meaning is in src/lib/connection-url.ts. */
const SSL_MODES = [
  'disable',
  'allow',
  'prefer',
  'require',
  'verify-ca',
  'verify-full',
  'no-verify',
];

const FILE_PARAMETERS = ['sslrootcert', 'sslcert', 'sslkey'];

/** The DATABASE_URL the CLI works on, validated so a typo names the variable (never its password). */
export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const value = env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL;
  const shown = () => redactDatabaseUrl(value);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`DATABASE_URL is not a valid URL: "${shown()}"`);
  }
  if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
    throw new Error(
      `DATABASE_URL must start with postgresql:// (got "${url.protocol}")`,
    );
  }
  if (url.pathname.length <= 1) {
    throw new Error(
      `DATABASE_URL must name a database, e.g. /subtasks (got "${shown()}")`,
    );
  }
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode !== null && !SSL_MODES.includes(sslmode)) {
    throw new Error(
      `DATABASE_URL's sslmode must be one of ${SSL_MODES.join(', ')} (got "${sslmode}")`,
    );
  }
  for (const name of FILE_PARAMETERS) {
    const file = url.searchParams.get(name);
    if (file === null) continue;
    if (name === 'sslrootcert' && file === 'system') {
      throw new Error(
        "DATABASE_URL's sslrootcert=system is not supported by node-postgres: give the CA file's path, or leave sslrootcert out to trust Node's built-in CAs",
      );
    }
    if (!existsSync(file)) {
      throw new Error(`DATABASE_URL's ${name} file does not exist: ${file}`);
    }
  }
  return value;
}
