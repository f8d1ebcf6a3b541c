import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';
import {
  poolOptions,
  redactSecrets,
  withDatabase,
} from '../lib/connection-url';

const PRISMA_CLI = path.join(__dirname, '..', '..', 'tools', 'prisma.cjs');

export interface TemporaryDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named database on the server of `serverUrl` (default DATABASE_URL, else the local
 * stack's) and applies the real migrations to it with the Prisma CLI, as `db:migrate` does. The URL's
 * parameters (sslmode, sslrootcert, application_name, …) are kept; only the database name changes.
 */
export async function createMigratedDatabase(
  prefix = 'subtasks_test',
  serverUrl = process.env['DATABASE_URL'] ??
    'postgresql://postgres@127.0.0.1:5432/postgres',
): Promise<TemporaryDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = withDatabase(serverUrl, 'postgres');
  const url = withDatabase(serverUrl, name);

  await withClient(admin, (c) => c.query(`CREATE DATABASE "${name}"`));
  try {
    execFileSync(process.execPath, [PRISMA_CLI, 'migrate', 'deploy'], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: 'pipe',
    });
  } catch (error) {
    await withClient(admin, (c) =>
      c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    ).catch(() => undefined);
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(
      redactSecrets(
        `migrate deploy failed for ${url}:\n${String(stdout ?? '')}${String(stderr ?? '')}`,
        url,
      ),
    );
  }
  return {
    url,
    drop: async () => {
      await withClient(admin, (c) =>
        c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
    },
  };
}

async function withClient<T>(
  url: string,
  use: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client(poolOptions(url));
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}
