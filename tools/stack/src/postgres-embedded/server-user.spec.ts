import {
  EmbeddedPostgresUserError,
  serverUser,
  unreachableFolder,
} from './server-user';

const postgres = { uid: 101, gid: 104 };

describe('serverUser', () => {
  it('runs the server as the current user unless that is root', () => {
    expect(serverUser(1000, () => postgres)).toBeUndefined();
  });

  it('runs it as `postgres` under root', () => {
    expect(
      serverUser(0, (name) => (name === 'postgres' ? postgres : undefined)),
    ).toEqual(postgres);
  });

  it('says how to create the user when root has none', () => {
    const run = () => serverUser(0, () => undefined);
    expect(run).toThrow(EmbeddedPostgresUserError);
    expect(run).toThrow(/useradd --system --user-group postgres/);
  });
});

describe('unreachableFolder', () => {
  const folders: Record<string, { uid: number; gid: number; mode: number }> = {
    '/': { uid: 0, gid: 0, mode: 0o755 },
    '/root': { uid: 0, gid: 0, mode: 0o700 },
    '/root/repo': { uid: 0, gid: 0, mode: 0o755 },
    '/srv': { uid: 0, gid: 104, mode: 0o750 },
    '/srv/repo': { uid: 101, gid: 0, mode: 0o700 },
  };
  const stat = (path: string) => {
    const info = folders[path];
    if (info === undefined) throw new Error(`ENOENT ${path}`);
    return info;
  };

  it('names the first folder the user may not enter', () => {
    expect(unreachableFolder('/root/repo/.stack/data', postgres, stat)).toBe(
      '/root',
    );
  });

  it('lets owner and group bits count, and skips folders not made yet', () => {
    expect(
      unreachableFolder('/srv/repo/.stack/data', postgres, stat),
    ).toBeUndefined();
  });
});
