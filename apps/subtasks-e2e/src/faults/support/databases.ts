import { randomBytes } from 'node:crypto';
import {
  createMigratedDatabase,
  type TemporaryDatabase,
} from '@subtasks/subtasks-db/testing';
import { Client } from 'pg';
import { databaseName } from '../../support/database-admin';

/*
 * One migrated database per scenario. Migrating takes the Prisma CLI a few seconds each time, so the
 * suite migrates one template and copies it (CREATE DATABASE … TEMPLATE), which takes milliseconds.
 */

function withName(url: string, name: string): string {
  const next = new URL(url);
  next.pathname = `/${encodeURIComponent(name)}`;
  return next.toString();
}

async function asAdmin<T>(
  url: string,
  use: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionString: withName(url, 'postgres') });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

export class ScenarioDatabases {
  private readonly copies: TemporaryDatabase[] = [];

  private constructor(private readonly template: TemporaryDatabase) {}

  static async prepare(): Promise<ScenarioDatabases> {
    return new ScenarioDatabases(
      await createMigratedDatabase('subtasks_faults_template'),
    );
  }

  /** A fresh copy of the migrated template. */
  async copy(scenario: string): Promise<TemporaryDatabase> {
    const slug = scenario.toLowerCase().replace(/[^a-z0-9]+/g, '_');
    const name = `subtasks_faults_${slug}_${randomBytes(3).toString('hex')}`;
    const template = databaseName(this.template.url);
    await asAdmin(this.template.url, (client) =>
      client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`),
    );
    const url = withName(this.template.url, name);
    const copy: TemporaryDatabase = {
      url,
      drop: () =>
        asAdmin(url, async (client) => {
          // A scenario may have left it refusing connections; DROP … FORCE needs none of its own.
          await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        }),
    };
    this.copies.push(copy);
    return copy;
  }

  async dropAll(): Promise<void> {
    for (const database of [...this.copies, this.template])
      await database.drop().catch(() => undefined);
  }
}
