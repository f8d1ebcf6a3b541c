import {
  SubtaskResultUploaded,
  UploadSubtaskResult,
  UploadSubtaskResultReply,
} from '@subtasks/contracts';
import { types } from 'avsc';
import { createServer } from 'node:net';
import { FakeRegistryServer } from '../../testing/fake-registry-server';
import { ContractRegistry } from './contract-registry';
import { classifyRegistryFailure } from './registry-failure';

describe('ContractRegistry', () => {
  const server = new FakeRegistryServer();

  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => {
    server.requests.length = 0;
    server.authorizations.length = 0;
    server.failWith = undefined;
    server.requiredAuthorization = undefined;
  });

  describe('credentials', () => {
    it('sends basic auth on every request, the library’s and its own', async () => {
      server.requiredAuthorization = `Basic ${Buffer.from('app:app-secret').toString('base64')}`;
      const registry = new ContractRegistry({
        connection: {
          url: server.url,
          auth: { kind: 'basic', username: 'app', password: 'app-secret' },
        },
        mode: 'register',
      });
      await registry.register(UploadSubtaskResult);
      expect(await registry.ping()).toBeGreaterThanOrEqual(0);
      expect(server.requests).toContain(
        'PUT /config/UPLOAD_SUBTASK_RESULT-value',
      );
      expect(new Set(server.authorizations)).toEqual(
        new Set([server.requiredAuthorization]),
      );
    });

    it('sends a bearer token on every request', async () => {
      server.requiredAuthorization = 'Bearer registry-token';
      const registry = new ContractRegistry({
        connection: {
          url: server.url,
          auth: { kind: 'bearer', token: 'registry-token' },
        },
        mode: 'register',
      });
      await registry.register(UploadSubtaskResult);
      expect(new Set(server.authorizations)).toEqual(
        new Set(['Bearer registry-token']),
      );
    });

    it.each(['register', 'verify'] as const)(
      'refuses at %s with REGISTRY_REFUSED naming the variables, never the password',
      async (mode) => {
        server.requiredAuthorization = 'Basic something-else';
        const registry = new ContractRegistry({
          connection: {
            url: server.url,
            auth: { kind: 'basic', username: 'app', password: 'wrong-secret' },
          },
          mode,
        });
        const failure = registry.prepare([UploadSubtaskResult]);
        await expect(failure).rejects.toMatchObject({
          code: 'REGISTRY_REFUSED',
          retriable: true,
        });
        await expect(failure).rejects.toThrow(
          /refused the credentials \(HTTP 401.*check SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD/,
        );
        await failure.catch((error: Error) =>
          expect(error.message).not.toContain('wrong-secret'),
        );
      },
    );

    it('names the missing credentials when none are set', async () => {
      server.failWith = 403;
      const registry = new ContractRegistry({
        connection: { url: server.url },
        mode: 'register',
      });
      await expect(registry.register(UploadSubtaskResult)).rejects.toThrow(
        /refused this operation to the configured user \(HTTP 403.*none is set/,
      );
    });
  });

  describe('register mode', () => {
    it("sets the subject's level from the contract, then registers; same schema, same id", async () => {
      const first = await new ContractRegistry({
        connection: { url: server.url },
        mode: 'register',
      }).register(UploadSubtaskResult);
      const again = await new ContractRegistry({
        connection: { url: server.url },
        mode: 'register',
      }).register(UploadSubtaskResult);

      expect(again).toEqual(first);
      expect(first).toMatchObject({
        messageName: 'UploadSubtaskResult',
        subject: 'UPLOAD_SUBTASK_RESULT-value',
        compatibility: 'BACKWARD',
      });
      expect(server.levelOf('UPLOAD_SUBTASK_RESULT-value')).toBe('BACKWARD');
      expect(server.requests.slice(0, 3)).toEqual([
        'PUT /config/UPLOAD_SUBTASK_RESULT-value',
        'GET /config/UPLOAD_SUBTASK_RESULT-value',
        'POST /subjects/UPLOAD_SUBTASK_RESULT-value/versions',
      ]);
    });

    it('asks the registry once per schema, however often the id is needed', async () => {
      const registry = new ContractRegistry({
        connection: { url: server.url },
        mode: 'register',
      });

      const ids = await Promise.all([
        registry.schemaIdOf(UploadSubtaskResultReply),
        registry.schemaIdOf(UploadSubtaskResultReply),
      ]);
      await registry.schemaIdOf(UploadSubtaskResultReply);

      expect(ids[0]).toBe(ids[1]);
      expect(
        server.requests.filter((r) => r.endsWith('/versions')),
      ).toHaveLength(1);
    });
  });

  describe('verify mode', () => {
    it('finds the id of a registered schema without registering anything', async () => {
      const { id } = await new ContractRegistry({
        connection: { url: server.url },
        mode: 'register',
      }).register(UploadSubtaskResult);
      server.requests.length = 0;

      const verified = await new ContractRegistry({
        connection: { url: server.url },
        mode: 'verify',
      }).schemaIdOf(UploadSubtaskResult);

      expect(verified).toBe(id);
      expect(server.requests).toEqual([
        'POST /subjects/UPLOAD_SUBTASK_RESULT-value',
      ]);
    });

    it('fails with SCHEMA_NOT_REGISTERED naming the subject when it is not registered', async () => {
      const registry = new ContractRegistry({
        connection: { url: server.url },
        mode: 'verify',
      });

      const failure = registry.schemaIdOf(SubtaskResultUploaded);

      await expect(failure).rejects.toMatchObject({
        code: 'SCHEMA_NOT_REGISTERED',
        subject: 'SUBTASK_RESULT_UPLOADED-value',
      });
      await expect(failure).rejects.toThrow(
        /SubtaskResultUploaded is not registered under subject SUBTASK_RESULT_UPLOADED-value/,
      );
    });
  });

  describe('writer schemas', () => {
    it('fetches the schema of an id once and parses it with the contract logical types', async () => {
      server.addSchema(7, UploadSubtaskResult.schemaJson);
      const registry = new ContractRegistry({
        connection: { url: server.url },
        mode: 'verify',
      });

      const [first, second] = await Promise.all([
        registry.writerTypeOf(7),
        registry.writerTypeOf(7),
      ]);
      const third = await registry.writerTypeOf(7);

      expect(first).toBe(second);
      expect(third).toBe(first);
      expect(server.requests).toEqual(['GET /schemas/ids/7']);
      const requestedAt =
        first instanceof types.RecordType
          ? first.fields.find((f) => f.name === 'requestedAt')?.type
          : undefined;
      expect(requestedAt).toBeInstanceOf(types.LogicalType);
    });

    it('parses two schemas that define the same named enum (fresh avsc options per parse)', async () => {
      server.addSchema(8, UploadSubtaskResultReply.schemaJson);
      server.addSchema(9, SubtaskResultUploaded.schemaJson);
      const registry = new ContractRegistry({
        connection: { url: server.url },
        mode: 'verify',
      });

      await expect(registry.writerTypeOf(8)).resolves.toBeDefined();
      await expect(registry.writerTypeOf(9)).resolves.toBeDefined();
    });

    it('reports an unknown id as UNKNOWN_SCHEMA_ID, naming id and topic, and remembers it', async () => {
      const registry = new ContractRegistry({
        connection: { url: server.url },
        mode: 'verify',
      });

      await expect(
        registry.writerTypeOf(404, 'SOME_TOPIC'),
      ).rejects.toMatchObject({
        code: 'UNKNOWN_SCHEMA_ID',
        schemaId: 404,
        topic: 'SOME_TOPIC',
        message: expect.stringMatching(
          /Schema id 404 .*SOME_TOPIC.*Schema 404 not found/,
        ),
      });
      await expect(registry.writerTypeOf(404)).rejects.toMatchObject({
        code: 'UNKNOWN_SCHEMA_ID',
      });
      expect(server.requests).toEqual(['GET /schemas/ids/404']);
    });

    it('reports a registry answering 5xx as REGISTRY_UNAVAILABLE, and asks again next time', async () => {
      server.addSchema(10, UploadSubtaskResult.schemaJson);
      const registry = new ContractRegistry({
        connection: { url: server.url },
        mode: 'verify',
      });
      server.failWith = 503;

      await expect(registry.writerTypeOf(10)).rejects.toMatchObject({
        code: 'REGISTRY_UNAVAILABLE',
        retriable: true,
      });
      server.failWith = undefined;
      await expect(registry.writerTypeOf(10)).resolves.toBeDefined();
    });
  });

  it('reports a registry nobody listens on as REGISTRY_UNAVAILABLE', async () => {
    const registry = new ContractRegistry({
      connection: {
        url: `http://127.0.0.1:${await closedPort()}/apis/ccompat/v7`,
      },
      mode: 'register',
      requestTimeoutMs: 2_000,
    });

    await expect(registry.writerTypeOf(1)).rejects.toMatchObject({
      code: 'REGISTRY_UNAVAILABLE',
    });
    await expect(registry.register(UploadSubtaskResult)).rejects.toMatchObject({
      code: 'REGISTRY_UNAVAILABLE',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });
});

describe('classifyRegistryFailure', () => {
  function responseError(status: number, message: string): Error {
    return Object.assign(new Error(message), { name: 'ResponseError', status });
  }

  it.each([
    [
      '404 with a registry message',
      'not-found',
      'Schema 5 not found.',
      responseError(404, 'subtasks-messaging - Schema 5 not found.'),
    ],
    [
      '409',
      'rejected',
      'Incompatible artifact: X',
      responseError(409, 'subtasks-messaging - Incompatible artifact: X'),
    ],
    [
      '503',
      'unavailable',
      'Unavailable',
      responseError(503, 'subtasks-messaging - Unavailable'),
    ],
    [
      'a transport failure',
      'unavailable',
      'Error, status 400: connect ECONNREFUSED 127.0.0.1:9',
      responseError(
        400,
        'subtasks-messaging - Error, status 400: connect ECONNREFUSED 127.0.0.1:9',
      ),
    ],
    [
      '404 from something else',
      'unavailable',
      'Error, status 404: [object Object]',
      responseError(
        404,
        'subtasks-messaging - Error, status 404: [object Object]',
      ),
    ],
    [
      'fetch failing',
      'unavailable',
      'fetch failed (connect ECONNREFUSED)',
      Object.assign(new TypeError('fetch failed'), {
        cause: new Error('connect ECONNREFUSED'),
      }),
    ],
    [
      'a client-side refusal',
      'rejected',
      'Invalid name: undefined',
      new Error('Invalid name: undefined'),
    ],
  ])('%s is %s', (_case, kind, reason, error) => {
    expect(classifyRegistryFailure(error)).toEqual({ kind, reason });
  });
});

/** A port that was free a moment ago, so nothing listens on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') {
    throw new Error('no port');
  }
  return address.port;
}
