import { databaseFailureKind } from './database-failure';

// Shapes seen from Prisma 6.19 with @prisma/adapter-pg against PostgreSQL 15 (see the int spec).
const adapterError = (cause: object, message = 'failed') =>
  Object.assign(new Error(message), { name: 'DriverAdapterError', cause });
const rawQueryError = (cause: object) =>
  Object.assign(new Error('Raw query failed'), {
    name: 'PrismaClientKnownRequestError',
    code: 'P2010',
    meta: { driverAdapterError: { name: 'DriverAdapterError', cause } },
  });

describe('databaseFailureKind', () => {
  it.each<[string, unknown, string | undefined]>([
    [
      'terminated backend',
      rawQueryError({ kind: 'postgres', code: '57P01' }),
      'unavailable',
    ],
    [
      'database not accepting connections',
      adapterError(
        { kind: 'postgres', code: '55000' },
        'database "x" is not currently accepting connections',
      ),
      'unavailable',
    ],
    [
      'server not reachable',
      rawQueryError({ kind: 'DatabaseNotReachable', host: 'h', port: 1 }),
      'unavailable',
    ],
    [
      'statement timeout',
      adapterError({ kind: 'postgres', code: '57014' }),
      'unavailable',
    ],
    [
      'deadlock',
      adapterError({ kind: 'postgres', code: '40P01' }),
      'unavailable',
    ],
    [
      'pool timeout',
      Object.assign(new Error('pool'), { code: 'P2024' }),
      'unavailable',
    ],
    [
      'connection refused',
      Object.assign(new Error('connect ECONNREFUSED'), {
        code: 'ECONNREFUSED',
      }),
      'unavailable',
    ],
    [
      'rollback on a connection the server closed',
      new Error(
        'Client has encountered a connection error and is not queryable',
      ),
      'unavailable',
    ],
    [
      'NUL byte',
      adapterError({ kind: 'postgres', code: '22021' }),
      'invalid-input',
    ],
    [
      'NUL in a raw query',
      rawQueryError({ kind: 'postgres', code: '08P01' }),
      'invalid-input',
    ],
    [
      'lone surrogate',
      Object.assign(
        new Error('JSON Error: unexpected end of hex escape at line 1'),
        {
          name: 'PrismaClientUnknownRequestError',
        },
      ),
      'invalid-input',
    ],
    [
      'unique violation',
      adapterError({ kind: 'postgres', code: '23505' }),
      'conflict',
    ],
    ['anything else', new Error('boom'), undefined],
  ])('%s → %s', (_, error, kind) =>
    expect(databaseFailureKind(error)).toBe(kind),
  );
});
