import { loadStackConfig } from './config';
import { clientConfig } from './postgres';

const postgresFor = (url: string) =>
  loadStackConfig({ DATABASE_URL: url }).postgres;

describe('clientConfig', () => {
  it('keeps every parameter of DATABASE_URL and swaps only the database', () => {
    const postgres = postgresFor(
      'postgresql://app:p%40ss@db.example:6432/subtasks?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&application_name=stack&options=-c%20search_path%3Dapp',
    );

    expect(clientConfig(postgres, 'postgres')).toEqual({
      connectionString:
        'postgresql://app:p%40ss@db.example:6432/postgres?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&application_name=stack&options=-c%20search_path%3Dapp',
      connectionTimeoutMillis: 5_000,
    });
  });

  it('connects as postgres when the URL names no user, as before', () => {
    expect(
      clientConfig(postgresFor('postgresql://127.0.0.1/subtasks'), 'postgres')
        .connectionString,
    ).toBe('postgresql://postgres@127.0.0.1/postgres');
  });

  it.each([
    ['12', 12_000],
    ['1', 2_000],
    ['0', 5_000],
  ])('turns connect_timeout=%s into %i ms', (seconds, millis) => {
    const postgres = postgresFor(
      `postgresql://postgres@127.0.0.1:5432/subtasks?connect_timeout=${seconds}`,
    );
    expect(clientConfig(postgres, 'postgres').connectionTimeoutMillis).toBe(
      millis,
    );
  });
});
