import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadStackConfig, type PostgresConfig } from './config';
import { freePort, isPortAnswering } from './net';
import {
  ensureStackDirs,
  findRepoRoot,
  type StackPaths,
  stackPaths,
} from './paths';
import { clientConfig } from './postgres';
import {
  postgresDown,
  postgresReset,
  postgresStatus,
  postgresUp,
} from './stack-postgres';

/*
 * The stack's embedded PostgreSQL, forced by pointing the default address (STACK_DEFAULT_DATABASE_URL)
 * at a port nothing listens on, in a throwaway .stack/ folder: start, migrate, a round trip, stop,
 * restart with the data kept, reset. The machine's own PostgreSQL is never touched.
 */

/** The project's own migrations, by the command `db:migrate` runs. */
function migrate(
  databaseUrl: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const { TSX_TSCONFIG_PATH: _relative, ...inherited } = process.env;
    const child = spawn(
      process.execPath,
      [
        join(findRepoRoot(), 'libs/subtasks-db/tools/prisma.cjs'),
        'migrate',
        'deploy',
      ],
      {
        env: { ...inherited, DATABASE_URL: databaseUrl },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

async function query<T extends object>(
  config: PostgresConfig,
  database: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const client = new Client(clientConfig(config, database));
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe("the stack's embedded PostgreSQL", () => {
  let root: string;
  let paths: StackPaths;
  let config: PostgresConfig;
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'stack-embedded-'));
    // Run as root, the server runs as `postgres`, which must be able to enter this folder.
    chmodSync(root, 0o755);
    paths = stackPaths(root);
    ensureStackDirs(paths);
    const port = await freePort();
    config = loadStackConfig({
      STACK_DEFAULT_DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/stack_embedded`,
    }).postgres;
  });

  afterAll(async () => {
    await postgresDown(config, paths, log).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  });

  it('is the choice when DATABASE_URL is unset and nothing answers on the default address', async () => {
    expect(config.explicit).toBe(false);
    expect(await postgresStatus(config, paths, config.url)).toMatchObject({
      name: 'postgres',
      state: 'stopped',
      managed: true,
      detail: expect.stringContaining(
        'embedded, not running: stack:up starts it',
      ),
    });
  });

  it('starts on the default address and creates the app and registry databases', async () => {
    const up = await postgresUp(config, paths, log, [
      config.database,
      config.registryDatabase,
    ]);

    expect(up).toMatchObject({ source: 'embedded', started: true });
    expect(lines.join('\n')).toMatch(
      /initialised and started the embedded PostgreSQL on 127\.0\.0\.1:\d+/,
    );
    expect(existsSync(join(paths.postgresData, 'PG_VERSION'))).toBe(true);
    const databases = await query<{ datname: string }>(
      config,
      'postgres',
      'select datname from pg_database where datname like $1 order by datname',
      ['stack_embedded%'],
    );
    expect(databases.map((row) => row.datname)).toEqual([
      'stack_embedded',
      'stack_embedded_registry',
    ]);
    const status = await postgresStatus(config, paths, config.url);
    expect(status).toMatchObject({
      state: 'running',
      pid: expect.any(Number),
      managed: true,
      detail: 'embedded, data in .stack/data/postgres',
    });
  });

  it('takes the migrations (prisma migrate deploy) and stores a row', async () => {
    const result = await migrate(config.url);
    expect(result.output).toContain(
      'migrations have been successfully applied',
    );
    expect(result.code).toBe(0);

    await query(
      config,
      config.database,
      `insert into subtasks (id, title, updated_at) values ($1, $2, now())`,
      ['kept-1', 'survives a restart'],
    );
    expect(
      await query(
        config,
        config.database,
        'select title from subtasks where id = $1',
        ['kept-1'],
      ),
    ).toEqual([{ title: 'survives a restart' }]);
  });

  it('is used again, not started twice, while it runs', async () => {
    expect(await postgresUp(config, paths, log, [])).toMatchObject({
      source: 'embedded',
      started: false,
    });
  });

  it('stops, and starts again with its data kept', async () => {
    await postgresDown(config, paths, log);
    expect(lines.at(-1)).toMatch(
      /^postgres {2}stopped \(pid \d+, fast shutdown/,
    );
    expect(await isPortAnswering(config.host, config.port)).toBe(false);
    expect((await postgresStatus(config, paths, config.url)).state).toBe(
      'stopped',
    );

    const again = await postgresUp(config, paths, log, [config.database]);
    expect(again).toMatchObject({ source: 'embedded', started: true });
    expect(lines.at(-1)).toMatch(
      /^postgres {2}started the embedded PostgreSQL/,
    );
    expect(
      await query(
        config,
        config.database,
        'select title from subtasks where id = $1',
        ['kept-1'],
      ),
    ).toEqual([{ title: 'survives a restart' }]);
  });

  it('reset stops it and deletes its data (app and registry databases)', async () => {
    await postgresReset(config, paths, log);

    expect(existsSync(paths.postgresData)).toBe(false);
    expect(await isPortAnswering(config.host, config.port)).toBe(false);
    expect(lines.at(-1)).toContain('embedded data deleted');
  });
});
