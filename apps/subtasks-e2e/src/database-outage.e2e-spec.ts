import {
  createMigratedDatabase,
  type TemporaryDatabase,
} from '@subtasks/subtasks-db/testing';
import {
  type AppProcess,
  eventually,
  sleep,
  startLoneApi,
} from './support/app-process';
import {
  allowConnections,
  databaseName,
  refuseConnections,
} from './support/database-admin';
import { RawHttpClient, type RawRequest } from './support/raw-http';

/*
 * The built api while its database refuses connections (ALLOW_CONNECTIONS false, open connections
 * terminated: what a failover or restart looks like to a client), then after it is back. The
 * PostgreSQL server itself keeps running.
 */

let database: TemporaryDatabase;
let api: AppProcess | undefined;
let http: RawHttpClient;

const JSON_TYPE = { 'content-type': 'application/json' };

function routes(subtaskId: string): Record<string, RawRequest> {
  const put = (query: string): RawRequest => ({
    method: 'PUT',
    path: `/subtasks/${subtaskId}/result${query}`,
    headers: JSON_TYPE,
    body: Buffer.from('{"isWorkerComplete":true}'),
  });
  return {
    'GET /subtasks/:id': { method: 'GET', path: `/subtasks/${subtaskId}` },
    'POST /subtasks': {
      method: 'POST',
      path: '/subtasks',
      headers: JSON_TYPE,
      body: Buffer.from('{"title":"during the outage"}'),
    },
    'PUT /subtasks/:id/result': put(''),
    'PUT /subtasks/:id/result?wait=true': put('?wait=true'),
  };
}

beforeAll(async () => {
  database = await createMigratedDatabase('subtasks_e2e_outage');
  let port: number;
  ({ api, port } = await startLoneApi(database.url));
  http = new RawHttpClient(port);
});

afterAll(async () => {
  await allowConnections(database.url).catch(() => undefined);
  http?.close();
  await api?.stop();
  await database?.drop();
});

function running(): AppProcess {
  if (!api) throw new Error('the api is not running');
  return api;
}

describe('while PostgreSQL refuses connections', () => {
  it('answers 503 DATABASE_UNAVAILABLE with Retry-After on every route, logs the cause by request id, and serves again once it is back', async () => {
    const created = await http.send(
      routes('-')['POST /subtasks'] as RawRequest,
    );
    expect(created.status).toBe(201);
    const subtaskId = (JSON.parse(created.text) as { id: string }).id;

    await refuseConnections(database.url);
    try {
      // A few seconds of outage, every route asked more than once.
      const outageEnds = Date.now() + 3_000;
      do {
        for (const [route, request] of Object.entries(routes(subtaskId))) {
          const answer = await http.send(request);
          expect([route, answer.status]).toEqual([route, 503]);
          expect(answer.headers['retry-after']).toBe('5');
          expect(JSON.parse(answer.text)).toEqual({
            statusCode: 503,
            code: 'DATABASE_UNAVAILABLE',
            message: expect.any(String),
          });
          // The driver's words stay in the log.
          expect(answer.text).not.toMatch(
            /accepting connections|prisma|postgres|55000/i,
          );
          expect(answer.text).not.toContain(databaseName(database.url));

          const requestId = answer.headers['x-request-id'];
          const logged = await running().waitForLog({
            requestId,
            msg: 'database unavailable: answered 503',
          });
          expect(JSON.stringify(logged)).toContain(
            'is not currently accepting connections',
          );
        }
        await sleep(250);
      } while (Date.now() < outageEnds);
    } finally {
      await allowConnections(database.url);
    }

    const back = await eventually(
      () => http.send(routes(subtaskId)['GET /subtasks/:id'] as RawRequest),
      (answer) => answer.status === 200,
      15_000,
    );
    expect(JSON.parse(back.text)).toMatchObject({ id: subtaskId });
    expect(
      (await http.send(routes(subtaskId)['POST /subtasks'] as RawRequest))
        .status,
    ).toBe(201);
    expect(
      (
        await http.send(
          routes(subtaskId)['PUT /subtasks/:id/result'] as RawRequest,
        )
      ).status,
    ).toBe(202);
  });
});
