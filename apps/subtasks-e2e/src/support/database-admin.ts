import { Client } from 'pg';

/*
 * An outage of one database, without touching the server: new connections are refused and the open
 * ones are closed by the server, as a failover or a restart looks to a client.
 */

export async function refuseConnections(databaseUrl: string): Promise<void> {
  const name = databaseName(databaseUrl);
  await asAdmin(databaseUrl, async (client) => {
    await client.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
      [name],
    );
  });
}

export async function allowConnections(databaseUrl: string): Promise<void> {
  const name = databaseName(databaseUrl);
  await asAdmin(databaseUrl, (client) =>
    client.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`),
  );
}

export function databaseName(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
}

async function asAdmin(
  databaseUrl: string,
  use: (client: Client) => Promise<unknown>,
): Promise<void> {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await use(client);
  } finally {
    await client.end();
  }
}
