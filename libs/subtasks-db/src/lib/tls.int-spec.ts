import { Logger } from '@nestjs/common';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { OfflineMigrationAdapterFactory } from '../../tools/offline-migration-adapter';
import {
  createMigratedDatabase,
  type TemporaryDatabase,
} from '../testing/temporary-database';
import {
  clientCertificateUser,
  startTlsPostgres,
  type TlsPostgres,
} from '../testing/tls-postgres';
import { PrismaService } from './prisma.service';
import { SubtasksRepository } from './subtasks.repository';

const applicationName = 'subtasks-tls-test';

/** Swaps or adds query parameters, keeping everything else of the URL. */
function withParams(url: string, params: Record<string, string>): string {
  const result = new URL(url);
  for (const [key, value] of Object.entries(params)) {
    result.searchParams.set(key, value);
  }
  return result.toString();
}

describe('PostgreSQL over TLS: every DATABASE_URL parameter reaches the server', () => {
  let server: TlsPostgres;
  let database: TemporaryDatabase;
  const services: PrismaService[] = [];

  function expectNoPassword(...texts: string[]): void {
    for (const text of texts) {
      expect(text).not.toContain(server.password);
      expect(text).not.toContain(encodeURIComponent(server.password));
    }
  }

  function prismaFor(url: string): PrismaService {
    const prisma = new PrismaService(url);
    services.push(prisma);
    return prisma;
  }

  /** The failure of onModuleInit, with everything it logged. */
  async function failedStart(
    url: string,
  ): Promise<{ error: Error; logged: string }> {
    const logError = jest
      .spyOn(Logger.prototype, 'error')
      .mockImplementation(() => undefined);
    try {
      const error = await prismaFor(url)
        .onModuleInit()
        .then(
          () => new Error('connected although it should not have'),
          (reason: Error) => reason,
        );
      return {
        error,
        logged: logError.mock.calls.map((call) => call.join(' ')).join('\n'),
      };
    } finally {
      logError.mockRestore();
    }
  }

  function migrationNames(): string[] {
    const directory = join(__dirname, '../../prisma/migrations');
    return readdirSync(directory, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  }

  beforeAll(async () => {
    server = await startTlsPostgres();
    // The offline migration CLI (prisma.cjs migrate deploy) runs against this URL.
    database = await createMigratedDatabase(
      'subtasks_tls',
      server.url('postgres', { application_name: applicationName }),
    );
  });

  afterAll(async () => {
    await Promise.all(services.map((prisma) => prisma.$disconnect()));
    await database?.drop();
    await server?.stop();
  });

  it('keeps the parameters in the migrated database URL', () => {
    const url = new URL(database.url);
    expect(url.searchParams.get('sslmode')).toBe('verify-full');
    expect(url.searchParams.get('sslrootcert')).toBe(server.caFile);
    expect(url.searchParams.get('application_name')).toBe(applicationName);
  });

  it('applied the migrations with the offline CLI', async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const migrations = await client.query<{
        name: string;
        finished: boolean;
      }>(
        'select migration_name as name, finished_at is not null as finished from _prisma_migrations order by 1',
      );
      expect(migrations.rows).toEqual(
        migrationNames().map((name) => ({ name, finished: true })),
      );
      const tables = await client.query<{ name: string }>(
        "select table_name as name from information_schema.tables where table_schema = 'public' order by 1",
      );
      expect(tables.rows.map((row) => row.name)).toEqual(
        expect.arrayContaining(['subtask_results', 'subtasks']),
      );
    } finally {
      await client.end();
    }
  });

  it("connects the app's PrismaService over verified TLS, with the URL's application_name", async () => {
    const prisma = prismaFor(database.url);
    await prisma.onModuleInit();

    const [session] = await prisma.$queryRaw<
      { ssl: boolean; version: string; application_name: string }[]
    >`select s.ssl, s.version, a.application_name
        from pg_stat_ssl s join pg_stat_activity a using (pid)
       where pid = pg_backend_pid()`;
    expect(session).toEqual({
      ssl: true,
      version: expect.stringMatching(/^TLSv1\.[23]$/),
      application_name: applicationName,
    });

    const repository = new SubtasksRepository(prisma);
    const subtask = await repository.create('over TLS');
    expect(await repository.findById(subtask.id)).toEqual(subtask);
  });

  it('keeps TLS and the parameters for the migration shadow database', async () => {
    const factory = new OfflineMigrationAdapterFactory(database.url);
    const shadow = await factory.connectToShadowDb();
    let shadowName = '';
    try {
      const result = await shadow.queryRaw({
        sql: `select current_database()::text as db, s.ssl, a.application_name::text as app
                from pg_stat_ssl s join pg_stat_activity a using (pid)
               where pid = pg_backend_pid()`,
        args: [],
        argTypes: [],
      });
      const [db, ssl, app] = result.rows[0] ?? [];
      shadowName = String(db);
      expect(shadowName).toMatch(/^prisma_shadow_/);
      expect(ssl).toBe(true);
      expect(app).toBe(applicationName);
    } finally {
      await shadow.dispose();
    }
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const left = await client.query(
        'select 1 from pg_database where datname = $1',
        [shadowName],
      );
      expect(left.rowCount).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('is refused with sslmode=disable (hostssl only), and no message shows the password', async () => {
    const { error, logged } = await failedStart(
      withParams(database.url, { sslmode: 'disable' }),
    );

    expect(error.message).toMatch(/no encryption/);
    expect(logged).toMatch(
      /cannot reach PostgreSQL at postgresql:\/\/tls_admin:\*\*\*@127\.0\.0\.1:\d+\/subtasks_tls_\w+\?sslmode=disable/,
    );
    expectNoPassword(error.message, error.stack ?? '', String(error), logged);
  });

  it('fails verify-full with a CA that did not sign the server certificate', async () => {
    const { error, logged } = await failedStart(
      withParams(database.url, { sslrootcert: server.otherCaFile }),
    );

    expect(`${error.message} ${logged}`).toMatch(
      /self[- ]signed certificate in certificate chain|unable to verify|unable to get local issuer/,
    );
    expectNoPassword(error.message, error.stack ?? '', logged);
  });

  it('sends the client certificate and key named by sslcert and sslkey', async () => {
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query(
        `create role ${clientCertificateUser} login password 'client-pw'`,
      );
    } finally {
      await admin.end();
    }
    const url = new URL(database.url);
    url.username = clientCertificateUser;
    url.password = 'client-pw';

    const prisma = prismaFor(
      withParams(url.toString(), {
        sslcert: server.clientCertFile,
        sslkey: server.clientKeyFile,
      }),
    );
    await prisma.onModuleInit();
    const [who] = await prisma.$queryRaw<
      { user: string; client_dn: string }[]
    >`select current_user::text as user, client_dn from pg_stat_ssl where pid = pg_backend_pid()`;
    expect(who).toEqual({
      user: clientCertificateUser,
      client_dn: `/CN=${clientCertificateUser}`,
    });

    const { error } = await failedStart(url.toString());
    expect(error.message).toMatch(/certificate/);
  });
});
