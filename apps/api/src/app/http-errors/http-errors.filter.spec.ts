import {
  Controller,
  Get,
  Module,
  NotFoundException,
  Param,
} from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { SubtaskErrorFilter } from '../subtasks/subtask-error.filter';
import { SubtaskNotFoundError } from '../subtasks/subtask.errors';
import { type HttpTestApp, startHttpTestApp } from '../testing/http-test-app';
import { HttpErrorsModule } from './http-errors.module';

/*
 * Errors as they reach the api from libs/subtasks-db, recorded from the real stack: Prisma 6 with the
 * pg driver adapter against a database that refused connections (ALLOW_CONNECTIONS false), a server
 * that terminated the connection, nothing listening, a pool that could not connect in time.
 */

const DRIVER_MESSAGE =
  'database "subtasks_7f3a" is not currently accepting connections';

function driverAdapterError(cause: Record<string, unknown>): Error {
  return Object.assign(new Error(String(cause['message'] ?? cause['kind'])), {
    name: 'DriverAdapterError',
    cause,
  });
}

function prismaKnownError(code: string, driver: Error): Error {
  return Object.assign(
    new Error(`\nInvalid \`prisma.subtask.findUnique()\` invocation: ${code}`),
    {
      name: 'PrismaClientKnownRequestError',
      code,
      clientVersion: '6.19.3',
      meta: { modelName: 'Subtask', driverAdapterError: driver },
    },
  );
}

const postgresError = (code: string, message: string) =>
  driverAdapterError({
    originalCode: code,
    originalMessage: message,
    kind: 'postgres',
    code,
    severity: 'FATAL',
    message,
  });

const UNAVAILABLE: Record<string, () => Error> = {
  'a database refusing connections (55000, model query)': () =>
    postgresError('55000', DRIVER_MESSAGE),
  'a terminated connection (57P01, raw query P2010)': () =>
    prismaKnownError(
      'P2010',
      postgresError(
        '57P01',
        'terminating connection due to administrator command',
      ),
    ),
  'nothing listening (P1001)': () =>
    prismaKnownError(
      'P1001',
      driverAdapterError({
        kind: 'DatabaseNotReachable',
        host: '127.0.0.1',
        port: 1,
      }),
    ),
  'a pool that could not connect in time': () =>
    new Error('Connection terminated due to connection timeout', {
      cause: new Error('Connection terminated unexpectedly'),
    }),
  'a statement timeout (57014)': () =>
    prismaKnownError(
      'P2010',
      postgresError('57014', 'canceling statement due to statement timeout'),
    ),
  'too many connections (53300)': () =>
    postgresError('53300', 'sorry, too many clients already'),
  'a pool timeout (P2024)': () =>
    Object.assign(new Error('Timed out fetching a new connection'), {
      name: 'PrismaClientKnownRequestError',
      code: 'P2024',
    }),
  'a connection failure (08006)': () =>
    postgresError('08006', 'connection failure'),
};

@Controller('failing')
class FailingController {
  @Get('unavailable/:which')
  unavailable(@Param('which') which: string): never {
    throw (UNAVAILABLE[which] as () => Error)();
  }

  @Get('bug')
  bug(): never {
    throw new TypeError(
      "Cannot read properties of undefined (reading 'secret-internal-detail')",
    );
  }

  @Get('constraint')
  constraint(): never {
    throw prismaKnownError(
      'P2002',
      driverAdapterError({ kind: 'UniqueConstraintViolation' }),
    );
  }

  @Get('not-found')
  notFound(): never {
    throw new NotFoundException({ code: 'SOMETHING', message: 'kept as is' });
  }

  @Get('range')
  range(): never {
    // What Express's static file server passes on for an unsatisfiable Range header.
    throw Object.assign(new Error('Range Not Satisfiable at /x/y/z'), {
      status: 416,
      statusCode: 416,
      expose: true,
    });
  }

  @Get('subtask')
  subtask(): never {
    throw new SubtaskNotFoundError('s-1');
  }
}

@Module({ controllers: [FailingController] })
class FailingRoutes {}

@Module({
  providers: [{ provide: APP_FILTER, useClass: SubtaskErrorFilter }],
})
class FeatureWithFilter {}

let served: HttpTestApp;

async function get(path: string) {
  const response = await fetch(`${served.baseUrl}${path}`);
  return {
    status: response.status,
    headers: response.headers,
    text: await response.text(),
  };
}

describe('HttpErrorsFilter', () => {
  beforeAll(async () => {
    // As AppModule orders them: the catch-all's module before the feature's.
    served = await startHttpTestApp({
      imports: [HttpErrorsModule, FailingRoutes, FeatureWithFilter],
    });
  });

  afterAll(() => served?.close());

  it.each(Object.keys(UNAVAILABLE))(
    'answers 503 DATABASE_UNAVAILABLE with Retry-After to %s',
    async (which) => {
      const answer = await get(
        `/failing/unavailable/${encodeURIComponent(which)}`,
      );
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(JSON.parse(answer.text)).toEqual({
        statusCode: 503,
        code: 'DATABASE_UNAVAILABLE',
        message: 'the database is unavailable; retry after 5 s',
      });
    },
  );

  it("logs the driver's message with the request, never answers with it", async () => {
    const answer = await get(
      `/failing/unavailable/${encodeURIComponent('a database refusing connections (55000, model query)')}`,
    );
    expect(answer.text).not.toContain('accepting connections');
    expect(answer.text).not.toContain('subtasks_7f3a');
    const requestId = answer.headers.get('x-request-id');
    const line = served.logs.find(
      (l) =>
        l['msg'] === 'database unavailable: answered 503' &&
        (l['req'] as { id?: unknown } | undefined)?.id === requestId,
    );
    expect(line).toMatchObject({
      level: 40,
      requestId,
      err: { message: expect.stringContaining(DRIVER_MESSAGE) },
    });
  });

  it.each([
    ['a bug', '/failing/bug', 'secret-internal-detail'],
    ['a constraint violation', '/failing/constraint', 'prisma'],
  ])(
    'answers 500 INTERNAL_ERROR with a generic message to %s, and logs it',
    async (_, path, secret) => {
      const answer = await get(path);
      expect(answer.status).toBe(500);
      expect(answer.headers.get('retry-after')).toBeNull();
      expect(JSON.parse(answer.text)).toEqual({
        statusCode: 500,
        code: 'INTERNAL_ERROR',
        message: expect.stringContaining('X-Request-Id'),
      });
      expect(answer.text.toLowerCase()).not.toContain(secret);
      expect(
        served.logs.some(
          (l) =>
            l['msg'] === 'unexpected error: answered 500' &&
            l['requestId'] === answer.headers.get('x-request-id'),
        ),
      ).toBe(true);
    },
  );

  it('keeps the answer of an HttpException', async () => {
    const answer = await get('/failing/not-found');
    expect([answer.status, JSON.parse(answer.text)]).toEqual([
      404,
      { code: 'SOMETHING', message: 'kept as is' },
    ]);
    expect((await get('/no/such/route')).status).toBe(404);
  });

  it("keeps the 4xx status of Express's own refusals, with the standard text", async () => {
    const answer = await get('/failing/range');
    expect([answer.status, JSON.parse(answer.text)]).toEqual([
      416,
      { statusCode: 416, message: 'Range Not Satisfiable' },
    ]);
  });

  it("leaves a feature's errors to the feature's filter registered after it", async () => {
    const answer = await get('/failing/subtask');
    expect([answer.status, JSON.parse(answer.text)]).toEqual([
      404,
      expect.objectContaining({ code: 'SUBTASK_NOT_FOUND' }),
    ]);
  });
});

describe('HttpErrorsFilter with API_RETRY_AFTER_SECONDS', () => {
  beforeAll(async () => {
    served = await startHttpTestApp(
      { imports: [HttpErrorsModule, FailingRoutes] },
      { env: { API_RETRY_AFTER_SECONDS: '30' } },
    );
  });

  afterAll(() => served?.close());

  it('sends that Retry-After', async () => {
    const answer = await get(
      `/failing/unavailable/${encodeURIComponent('nothing listening (P1001)')}`,
    );
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('30');
    expect(JSON.parse(answer.text)).toMatchObject({
      message: 'the database is unavailable; retry after 30 s',
    });
  });
});
