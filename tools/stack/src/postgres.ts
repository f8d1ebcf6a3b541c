import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { PostgresConfig } from './config';

const maintenanceDatabase = 'postgres';

export class PostgresUnavailableError extends Error {
  override readonly name = 'PostgresUnavailableError';
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function withClient<T>(
  config: PostgresConfig,
  database: string,
  use: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    database,
    connectionTimeoutMillis: 5_000,
  });
  try {
    await client.connect();
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new PostgresUnavailableError(
      `PostgreSQL is not answering at ${config.host}:${config.port} as ${config.user} (DATABASE_URL): ${cause}. ` +
        'The stack does not run PostgreSQL itself: start it (e.g. `pg_ctlcluster <version> main start`) or point DATABASE_URL at one.',
    );
  }
  try {
    return await use(client);
  } finally {
    await client.end();
  }
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
