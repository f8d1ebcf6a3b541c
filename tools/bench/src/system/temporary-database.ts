import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  ENVIRONMENT_DEFAULTS,
  redactUrl,
  scrubSecrets,
  secretValuesOf,
} from '@subtasks/config';
import { Client } from 'pg';
import { workspaceRoot } from '../context';

const PRISMA_CLI = path.join(
  workspaceRoot,
  'libs',
  'subtasks-db',
  'tools',
  'prisma.cjs',
);

export interface TemporaryDatabase {
  readonly name: string;
  readonly url: string;
  /** A connection of the bench's own to it (pg_stat_activity, the flags). */
  readonly sql: Client;
  drop(): Promise<void>;
}

/** The same URL (parameters kept: sslmode, …) naming another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A uniquely named database on DATABASE_URL's server, migrated with the real migrations through the
 * data lib's offline Prisma CLI (tools may not import Prisma), as `db:migrate` and the tests do.
 */
export async function createTemporaryDatabase(
  serverUrl = process.env['DATABASE_URL'] ?? ENVIRONMENT_DEFAULTS.DATABASE_URL,
): Promise<TemporaryDatabase> {
  const name = `subtasks_bench_${randomBytes(4).toString('hex')}`;
  const admin = withDatabase(serverUrl, 'postgres');
  const url = withDatabase(serverUrl, name);
  const drop = () =>
    withClient(admin, (c) =>
      c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    );
  await withClient(admin, (c) => c.query(`CREATE DATABASE "${name}"`));
  try {
    await promisify(execFile)(
      process.execPath,
      [PRISMA_CLI, 'migrate', 'deploy'],
      {
        env: { ...process.env, DATABASE_URL: url },
      },
    );
  } catch (error) {
    await drop().catch(() => undefined);
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(
      scrubSecrets(
        `migrate deploy failed for ${redactUrl(url)}:\n${stdout ?? ''}${stderr ?? ''}`,
        secretValuesOf({ DATABASE_URL: url }),
      ),
    );
  }
  const sql = new Client({ connectionString: url });
  await sql.connect();
  return {
    name,
    url,
    sql,
    drop: async () => {
      await sql.end().catch(() => undefined);
      await drop();
    },
  };
}

async function withClient<T>(
  url: string,
  use: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
