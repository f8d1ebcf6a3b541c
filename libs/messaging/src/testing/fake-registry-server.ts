import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A few Confluent registry endpoints in memory, answering like Apicurio's ccompat API (404 with
 * error codes 40401/40403), for unit tests of the registry client. Integration tests use the real one.
 */
export class FakeRegistryServer {
  readonly requests: string[] = [];
  /** Answer every request with this status (e.g. 500) when set. */
  failWith: number | undefined;
  /** When set, a request without exactly this Authorization header is answered 401. */
  requiredAuthorization: string | undefined;
  /** The Authorization header of every request, in order ('' when absent). */
  readonly authorizations: string[] = [];
  private readonly schemas = new Map<number, string>();
  private readonly subjects = new Map<string, Map<string, number>>();
  private readonly levels = new Map<string, string>();
  private nextId = 100;
  private server: Server | undefined;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/apis/ccompat/v7`;
  }

  levelOf(subject: string): string | undefined {
    return this.levels.get(subject);
  }

  addSchema(id: number, schema: string): void {
    this.schemas.set(id, schema);
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      void this.answer(request).then(({ status, body }) => {
        response.writeHead(status, { 'Content-Type': 'application/json' });
        response.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) =>
      this.server?.listen(0, '127.0.0.1', resolve),
    );
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async answer(
    request: IncomingMessage,
  ): Promise<{ status: number; body: unknown }> {
    const path = (request.url ?? '').replace('/apis/ccompat/v7', '');
    this.requests.push(`${request.method ?? ''} ${path}`);
    const text = await readBody(request);
    const authorization = request.headers.authorization ?? '';
    this.authorizations.push(authorization);
    if (
      this.requiredAuthorization !== undefined &&
      authorization !== this.requiredAuthorization
    ) {
      return {
        status: 401,
        body: { error_code: 0, message: 'User is not authenticated.' },
      };
    }
    if (this.failWith !== undefined) {
      return {
        status: this.failWith,
        body: { error_code: 50001, message: 'Boom' },
      };
    }
    if (path === '/subjects' && request.method === 'GET') {
      return { status: 200, body: [...this.subjects.keys()] };
    }
    const byId = /^\/schemas\/ids\/(\d+)$/.exec(path);
    if (byId && request.method === 'GET') {
      const schema = this.schemas.get(Number(byId[1]));
      return schema === undefined
        ? notFound(40403, `Schema ${byId[1]} not found.`)
        : { status: 200, body: { schema } };
    }
    const config = /^\/config\/([^/]+)$/.exec(path);
    if (config && request.method === 'PUT') {
      const { compatibility } = JSON.parse(text) as { compatibility: string };
      this.levels.set(decodeURIComponent(config[1]), compatibility);
      return { status: 200, body: { compatibility } };
    }
    if (config && request.method === 'GET') {
      const level = this.levels.get(decodeURIComponent(config[1])) ?? 'NONE';
      return { status: 200, body: { compatibilityLevel: level } };
    }
    const versions = /^\/subjects\/([^/]+)\/versions$/.exec(path);
    if (versions && request.method === 'POST') {
      const { schema } = JSON.parse(text) as { schema: string };
      const subject = decodeURIComponent(versions[1]);
      const known = this.subjects.get(subject) ?? new Map<string, number>();
      const id = known.get(schema) ?? this.nextId++;
      known.set(schema, id);
      this.subjects.set(subject, known);
      this.schemas.set(id, schema);
      return { status: 200, body: { id } };
    }
    const lookup = /^\/subjects\/([^/]+)$/.exec(path);
    if (lookup && request.method === 'POST') {
      const subject = decodeURIComponent(lookup[1]);
      const known = this.subjects.get(subject);
      if (known === undefined) {
        return notFound(40401, `Subject '${subject}' not found.`);
      }
      const { schema } = JSON.parse(text) as { schema: string };
      const id = known.get(schema);
      return id === undefined
        ? notFound(40403, 'Schema not found')
        : { status: 200, body: { id, subject, version: 1, schema } };
    }
    return notFound(404, `No route ${path}`);
  }
}

function notFound(code: number, message: string) {
  return { status: 404, body: { error_code: code, message } };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks).toString('utf8');
}
