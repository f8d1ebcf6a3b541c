import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadStackConfig, type PostgresConfig } from './config';
import {
  checkPostgres,
  clientConfig,
  dropDatabase,
  ensureDatabase,
  PostgresUnavailableError,
  postgresServerPid,
} from './postgres';
import { startTlsPostgres, type TlsPostgres } from './testing/tls-postgres';

const applicationName = 'stack-tls-test';

describe("the stack's PostgreSQL functions over TLS (hostssl-only server)", () => {
  let server: TlsPostgres;

  function config(params: Record<string, string> = {}): PostgresConfig {
    const url = new URL(
      `postgresql://${server.superuser}:${encodeURIComponent(server.password)}@127.0.0.1:${server.port}/subtasks`,
    );
    const query = {
      sslmode: 'verify-full',
      sslrootcert: server.caFile,
      application_name: applicationName,
      ...params,
    };
    for (const [key, value] of Object.entries(query)) {
      url.searchParams.set(key, value);
    }
    return loadStackConfig({ DATABASE_URL: url.toString() }).postgres;
  }

  async function databaseExists(name: string): Promise<boolean> {
    const client = new Client(clientConfig(config(), 'postgres'));
    await client.connect();
    try {
      const result = await client.query(
        'select 1 from pg_database where datname = $1',
        [name],
      );
      return result.rowCount === 1;
    } finally {
      await client.end();
    }
  }

  async function failure(work: Promise<unknown>): Promise<Error> {
    const error = await work.then(
      () => new Error('succeeded although it should not have'),
      (reason: Error) => reason,
    );
    expect(error).toBeInstanceOf(PostgresUnavailableError);
    expect(error.message).not.toContain(server.password);
    expect(error.message).not.toContain(encodeURIComponent(server.password));
    return error;
  }

  beforeAll(async () => {
    server = await startTlsPostgres();
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('checks, creates and drops databases with sslmode=verify-full and sslrootcert', async () => {
    const name = `stack_tls_${randomBytes(4).toString('hex')}`;
    const postgres = config();

    await checkPostgres(postgres);
    expect(await ensureDatabase(postgres, name)).toBe(true);
    expect(await ensureDatabase(postgres, name)).toBe(false);
    expect(await databaseExists(name)).toBe(true);
    await dropDatabase(postgres, name);
    expect(await databaseExists(name)).toBe(false);
    expect(await postgresServerPid(postgres)).toEqual(expect.any(Number));
  });

  it('connects with TLS and the application_name of the URL', async () => {
    const client = new Client(clientConfig(config(), 'postgres'));
    await client.connect();
    try {
      const { rows } = await client.query<{
        ssl: boolean;
        application_name: string;
      }>(
        `select s.ssl, a.application_name
           from pg_stat_ssl s join pg_stat_activity a using (pid)
          where pid = pg_backend_pid()`,
      );
      expect(rows).toEqual([{ ssl: true, application_name: applicationName }]);
    } finally {
      await client.end();
    }
  });

  it('passes the options parameter on (here: read-only sessions cannot create a database)', async () => {
    const readOnly = config({
      options: '-c default_transaction_read_only=on',
    });
    await expect(ensureDatabase(readOnly, 'never_created')).rejects.toThrow(
      /read-only transaction/,
    );
  });

  it('is refused with sslmode=disable, without the password in the message', async () => {
    const error = await failure(checkPostgres(config({ sslmode: 'disable' })));
    expect(error.message).toMatch(
      /^Cannot connect to PostgreSQL at 127\.0\.0\.1:\d+ as tls_admin \(DATABASE_URL\): .*no encryption\.$/,
    );
  });

  it('fails verify-full with a CA that did not sign the server certificate', async () => {
    const error = await failure(
      checkPostgres(config({ sslrootcert: server.otherCaFile })),
    );
    expect(error.message).toMatch(
      /self[- ]signed certificate in certificate chain/,
    );
  });

  it('names a missing sslrootcert file', async () => {
    const error = await failure(
      checkPostgres(config({ sslrootcert: '/nonexistent/ca.pem' })),
    );
    expect(error.message).toMatch(/ENOENT.*\/nonexistent\/ca\.pem/);
  });
});
