import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, type ClientConfig } from 'pg';
import type { PostgresConfig } from './config';

const maintenanceDatabase = 'postgres';

export class PostgresUnavailableError extends Error {
  override readonly name = 'PostgresUnavailableError';
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

const defaultConnectTimeoutMs = 5_000;
const unreachableCodes = [
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
];

/**
 * pg settings for `database` on DATABASE_URL's server: the whole URL, so sslmode, sslrootcert, sslcert,
 * sslkey, application_name and options reach pg; only the path is swapped. pg ignores connect_timeout
 * (libpq: seconds, at least 2), so it becomes connectionTimeoutMillis.
 */
export function clientConfig(
  config: PostgresConfig,
  database: string,
): ClientConfig {
  const url = new URL(config.url);
  url.pathname = `/${encodeURIComponent(database)}`;
  if (url.username === '') url.username = encodeURIComponent(config.user);
  const seconds = Number.parseInt(
    url.searchParams.get('connect_timeout') ?? '',
    10,
  );
  return {
    connectionString: url.toString(),
    connectionTimeoutMillis:
      seconds > 0 ? Math.max(seconds, 2) * 1000 : defaultConnectTimeoutMs,
  };
}

async function withClient<T>(
  config: PostgresConfig,
  database: string,
  use: (client: Client) => Promise<T>,
): Promise<T> {
  let client: Client;
  try {
    // pg reads sslrootcert/sslcert/sslkey files here: a missing file fails before connecting.
    client = new Client(clientConfig(config, database));
    await client.connect();
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: string }).code ?? '';
    const notRunning =
      unreachableCodes.includes(code) || /timeout/i.test(cause)
        ? ` ${unreachableHint(config)}`
        : '';
    throw new PostgresUnavailableError(
      `Cannot connect to PostgreSQL at ${config.host}:${config.port} as ${config.user} (${config.explicit ? 'DATABASE_URL' : 'the default address'}): ${redactPassword(cause, config)}.${notRunning}`,
    );
  }
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

function unreachableHint(config: PostgresConfig): string {
  return config.explicit
    ? 'DATABASE_URL is set, so the stack uses that server and never starts its own: start it, or unset DATABASE_URL to let the stack run its embedded PostgreSQL.'
    : 'Nothing answers on the default address: `npm run stack:up` starts the embedded PostgreSQL there.';
}

function redactPassword(text: string, config: PostgresConfig): string {
  if (config.password === '') return text;
  return [config.password, encodeURIComponent(config.password)].reduce(
    (redacted, secret) => redacted.split(secret).join('***'),
    text,
  );
}

/** A real round trip: `select 1` on the server's maintenance database. */
export async function checkPostgres(config: PostgresConfig): Promise<void> {
  await withClient(config, maintenanceDatabase, async (client) => {
    await client.query('select 1');
  });
}

/** Creates the database unless it exists. Returns whether it was created. */
export async function ensureDatabase(
  config: PostgresConfig,
  name: string,
): Promise<boolean> {
  return withClient(config, maintenanceDatabase, async (client) => {
    const existing = await client.query(
      'select 1 from pg_database where datname = $1',
      [name],
    );
    if (existing.rowCount !== null && existing.rowCount > 0) return false;
    try {
      await client.query(`create database ${quoteIdentifier(name)}`);
      return true;
    } catch (error) {
      // Another process created it between the check and the create.
      if ((error as { code?: string }).code === '42P04') return false;
      throw error;
    }
  });
}

export async function dropDatabase(
  config: PostgresConfig,
  name: string,
): Promise<void> {
  await withClient(config, maintenanceDatabase, async (client) => {
    await client.query(`drop database if exists ${quoteIdentifier(name)}`);
  });
}

/** The postmaster's PID when the server's data directory is readable here (a local server), else undefined. */
export async function postgresServerPid(
  config: PostgresConfig,
): Promise<number | undefined> {
  const dataDirectory = await withClient(
    config,
    maintenanceDatabase,
    async (client) => {
      const result = await client.query<{ setting: string }>(
        "select setting from pg_settings where name = 'data_directory'",
      );
      return result.rows[0]?.setting;
    },
  );
  if (dataDirectory === undefined) return undefined;
  const pidFile = join(dataDirectory, 'postmaster.pid');
  try {
    if (!existsSync(pidFile)) return undefined;
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
