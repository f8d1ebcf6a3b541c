import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { poolOptions, withDatabase } from '../src/lib/connection-url';

/*
 * The Prisma CLI's Wasm schema engine talks to PostgreSQL through @prisma/adapter-pg, which (6.19.3) has
 * three defects that break migrations; each was reproduced without this file:
 *  1. catalog columns of type `name` (oid 19) and `"char"` (oid 18) are rejected by oid (prisma/prisma#27403);
 *  2. the shadow database for `migrate dev` is dropped while still connected, or not used at all;
 *  3. executeScript splits on `;`, which breaks plpgsql bodies.
 * Used by the CLI only; the apps use the stock PrismaPg.
 */

const CATALOG_TEXT_OIDS = new Set([18, 19]);
const TEXT_OID = 25;

interface FieldLike {
  dataTypeID: number;
}

function readCatalogTypesAsText<T>(result: T): T {
  const fields = (result as { fields?: FieldLike[] } | undefined)?.fields;
  for (const field of fields ?? []) {
    if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
  }
  return result;
}

type QueryCallback = (err: Error | null, result: unknown) => void;

class CatalogAsTextClient extends pg.Client {
  override query(...args: unknown[]): never {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      const callback = last as QueryCallback;
      args[args.length - 1] = (err: Error | null, result: unknown) =>
        callback(err, err ? result : readCatalogTypesAsText(result));
    }
    const returned = (super.query as (...a: unknown[]) => unknown)(...args);
    if (returned instanceof Promise) {
      return returned.then(readCatalogTypesAsText) as never;
    }
    return returned as never;
  }
}

/**
 * The whole URL goes to pg, so sslmode, sslrootcert, application_name, options and the rest survive;
 * only the database (shadow, admin) is swapped, in the URL's path.
 */
function poolConfig(
  connectionString: string,
  database?: string,
): pg.PoolConfig {
  const url = new URL(
    database === undefined
      ? connectionString
      : withDatabase(connectionString, database),
  );
  // The stack's user when the URL names none (pg would take the OS user's name).
  if (url.username === '') url.username = 'postgres';
  return {
    Client: CatalogAsTextClient,
    ...poolOptions(url.toString()),
    allowExitOnIdle: true,
  };
}

type Adapter = Awaited<ReturnType<PrismaPg['connect']>>;

function runScriptsWhole(adapter: Adapter, pool: pg.Pool): Adapter {
  adapter.executeScript = async (script: string) => {
    await pool.query(script);
  };
  return adapter;
}

export class OfflineMigrationAdapterFactory extends PrismaPg {
  private readonly connectionString: string;

  constructor(connectionString: string) {
    super(new pg.Pool(poolConfig(connectionString)));
    this.connectionString = connectionString;
  }

  override async connect(): Promise<Adapter> {
    const pool = new pg.Pool(poolConfig(this.connectionString));
    return runScriptsWhole(
      await new PrismaPg(pool, { disposeExternalPool: true }).connect(),
      pool,
    );
  }

  override async connectToShadowDb(): Promise<Adapter> {
    const shadowName = `prisma_shadow_${process.pid}_${Date.now()}`;
    const admin = new pg.Client(poolConfig(this.connectionString));
    await admin.connect();
    await admin.query(`CREATE DATABASE "${shadowName}"`);
    const pool = new pg.Pool(poolConfig(this.connectionString, shadowName));
    const adapter = runScriptsWhole(await new PrismaPg(pool).connect(), pool);
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS "${shadowName}"`);
      await admin.end();
    };
    return adapter;
  }
}
