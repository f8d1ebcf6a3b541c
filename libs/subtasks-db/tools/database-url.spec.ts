import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_DATABASE_URL, databaseUrl } from './database-url';

describe('databaseUrl (Prisma CLI)', () => {
  let dir: string;
  let caFile: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'database-url-'));
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, '');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to the local stack database', () => {
    expect(databaseUrl({})).toBe(DEFAULT_DATABASE_URL);
  });

  it('keeps the URL as given, parameters and all', () => {
    const url = `postgresql://app:pw@db.example:5432/subtasks?sslmode=verify-full&sslrootcert=${encodeURIComponent(caFile)}&application_name=api&options=-c%20search_path%3Dapp`;
    expect(databaseUrl({ DATABASE_URL: url })).toBe(url);
  });

  it.each([
    ['not a url', /DATABASE_URL is not a valid URL/],
    [
      'mysql://root@localhost/x',
      /DATABASE_URL must start with postgresql:\/\//,
    ],
    [
      'postgresql://postgres@localhost:5432',
      /DATABASE_URL must name a database/,
    ],
    [
      'postgresql://postgres@localhost:5432/x?sslmode=verify_full',
      /sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full, no-verify \(got "verify_full"\)/,
    ],
    [
      'postgresql://postgres@localhost:5432/x?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem',
      /sslrootcert file does not exist: \/nonexistent\/ca.pem/,
    ],
    [
      'postgresql://postgres@localhost:5432/x?sslcert=/nonexistent/client.crt',
      /sslcert file does not exist/,
    ],
    [
      'postgresql://postgres@localhost:5432/x?sslrootcert=system',
      /sslrootcert=system is not supported by node-postgres/,
    ],
  ])('rejects %s naming DATABASE_URL', (value, message) => {
    expect(() => databaseUrl({ DATABASE_URL: value })).toThrow(message);
  });

  it.each([
    ['an invalid URL', 'postgresql://app:s3cr#t@db:5432:1/x'],
    ['a URL without a database', 'postgresql://app:s3cr%23t@db:5432'],
  ])('never shows the password of %s', (_, value) => {
    let message = '';
    try {
      databaseUrl({ DATABASE_URL: value });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('app:***@db');
    expect(message).not.toMatch(/s3cr/);
  });
});
