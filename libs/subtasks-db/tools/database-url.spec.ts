import { DEFAULT_DATABASE_URL, databaseUrl } from './database-url';

describe('databaseUrl (Prisma CLI)', () => {
  it('defaults to the local stack database', () => {
    expect(databaseUrl({})).toBe(DEFAULT_DATABASE_URL);
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
  ])('rejects %s naming DATABASE_URL', (value, message) => {
    expect(() => databaseUrl({ DATABASE_URL: value })).toThrow(message);
  });
});
