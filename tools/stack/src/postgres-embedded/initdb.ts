import {
  chownSync,
  existsSync,
  mkdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { PostgresConfig } from '../config';
import type { ProcessUser } from '../processes';
import { runCommand } from '../run-command';

export function isInitialised(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION'));
}

/**
 * initdb: UTF8, locale C, the URL's user as superuser (trust, or scram with the URL's password).
 */
export async function initialise(
  dataDir: string,
  config: Pick<PostgresConfig, 'user' | 'password'>,
  initdb: string,
  user: ProcessUser | undefined,
): Promise<void> {
  // A folder left by an initdb that did not finish would make the next one refuse to start.
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (user !== undefined) chownSync(dataDir, user.uid, user.gid);
  const { password, user: superuser } = config;
  const passwordFile = join(dirname(dataDir), 'postgres.pw');
  const auth =
    password === ''
      ? ['--auth=trust']
      : ['--auth=scram-sha-256', `--pwfile=${passwordFile}`];
  if (password !== '') {
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    if (user !== undefined) chownSync(passwordFile, user.uid, user.gid);
  }
  try {
    await runCommand(
      initdb,
      [
        `--pgdata=${dataDir}`,
        `--username=${superuser}`,
        ...auth,
        '--encoding=UTF8',
        '--locale=C',
        '--no-sync',
        '--no-instructions',
      ],
      {
        what: 'Initialising the embedded PostgreSQL',
        cwd: dirname(dataDir),
        env: { LC_ALL: 'C' },
        ...(user === undefined ? {} : { user }),
      },
    );
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  } finally {
    rmSync(passwordFile, { force: true });
  }
}
