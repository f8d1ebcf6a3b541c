import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import type { ProcessUser } from '../processes';

/** The user PostgreSQL runs as when the stack runs as root, which PostgreSQL refuses. */
export const serverUserName = 'postgres';

export class EmbeddedPostgresUserError extends Error {
  override readonly name = 'EmbeddedPostgresUserError';
}

export type LookUpUser = (name: string) => ProcessUser | undefined;

const lookUpUser: LookUpUser = (name) => {
  try {
    const id = (flag: string) =>
      Number(
        execFileSync('id', [flag, name], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        }).trim(),
      );
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
};

/**
 * Undefined when the server can run as the current user; as root, the `postgres` user (which must
 * exist: the error says how to create it).
 */
export function serverUser(
  uid: number = userInfo().uid,
  lookUp: LookUpUser = lookUpUser,
): ProcessUser | undefined {
  if (uid !== 0) return undefined;
  const user = lookUp(serverUserName);
  if (user === undefined) {
    throw new EmbeddedPostgresUserError(missingServerUserMessage());
  }
  return user;
}

export function missingServerUserMessage(): string {
  return (
    `PostgreSQL refuses to run as root, and there is no \`${serverUserName}\` user to run it as. ` +
    `Run the stack as a normal user, or create that user: \`useradd --system --user-group ${serverUserName}\` ` +
    '(or point DATABASE_URL at a PostgreSQL server).'
  );
}

export type StatPath = (path: string) => {
  uid: number;
  gid: number;
  mode: number;
};

/**
 * The first folder on the way to `path` that `user` may not enter (no search permission), or
 * undefined. The server runs without supplementary groups, so owner, group and other bits decide.
 */
export function unreachableFolder(
  path: string,
  user: ProcessUser,
  stat: StatPath = statSync,
): string | undefined {
  const folders: string[] = [];
  for (let current = path; ; current = dirname(current)) {
    folders.unshift(current);
    if (dirname(current) === current) break;
  }
  return folders.find((folder) => {
    let info: { uid: number; gid: number; mode: number };
    try {
      info = stat(folder);
    } catch {
      // Not made yet: its parent decided already.
      return false;
    }
    if (info.uid === user.uid) return (info.mode & 0o100) === 0;
    if (info.gid === user.gid) return (info.mode & 0o010) === 0;
    return (info.mode & 0o001) === 0;
  });
}
