import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';

const PRISMA_CLI = path.join(__dirname, '..', '..', 'tools', 'prisma.cjs');

export interface TemporaryDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named database on the server of DATABASE_URL (default: the local stack's) and
 * applies the real migrations to it with the Prisma CLI, as `db:migrate` does.
 */
export async function createMigratedDatabase(
  prefix = 'subtasks_test',
): Promise<TemporaryDatabase> {
  const server = new URL(
    process.env['DATABASE_URL'] ??
      'postgresql://postgres@127.0.0.1:5432/postgres',
  );
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new URL(server);
  admin.pathname = '/postgres';
  const url = new URL(server);
  url.pathname = `/${name}`;

  await withClient(admin.toString(), (c) =>
    c.query(`CREATE DATABASE "${name}"`),
  );
  execFileSync(process.execPath, [PRISMA_CLI, 'migrate', 'deploy'], {
    env: { ...process.env, DATABASE_URL: url.toString() },
    stdio: 'pipe',
  });
  return {
    url: url.toString(),
    drop: async () => {
      await withClient(admin.toString(), (c) =>
        c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
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
