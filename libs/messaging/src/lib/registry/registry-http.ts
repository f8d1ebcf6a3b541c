import { Agent as HttpsAgent } from 'node:https';
import type { RegistryConnection } from '@subtasks/config';
import { Agent, fetch, type Response } from 'undici';

const CONFLUENT_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/** A registry answer that is not 2xx; `status` drives the caller's classification. */
export class RegistryHttpError extends Error {
  override readonly name = 'RegistryHttpError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * HTTP to the registry with the connection's credentials and CA: for the calls the client library
 * does not offer (subject levels, probes), and the agent the library itself uses for https.
 */
export class RegistryHttp {
  /** For `@kafkajs/confluent-schema-registry` (its http gateway takes a Node agent). */
  readonly agent: HttpsAgent | undefined;
  private readonly dispatcher: Agent | undefined;

  constructor(readonly connection: RegistryConnection) {
    const ca = connection.ca;
    this.agent = connection.url.startsWith('https:')
      ? new HttpsAgent({ keepAlive: true, ...(ca === undefined ? {} : { ca }) })
      : undefined;
    this.dispatcher =
      ca === undefined ? undefined : new Agent({ connect: { ca } });
  }

  /** The Authorization header value, or undefined without credentials. */
  authorization(): string | undefined {
    const auth = this.connection.auth;
    if (auth === undefined) return undefined;
    if (auth.kind === 'bearer') return `Bearer ${auth.token}`;
    const pair = `${auth.username}:${auth.password}`;
    return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
  }

  /** A JSON request; rejects with RegistryHttpError for a non-2xx answer, or the transport's error. */
  async json(
    method: 'GET' | 'PUT' | 'POST',
    path: string,
    options: { body?: unknown; timeoutMs: number },
  ): Promise<unknown> {
    const authorization = this.authorization();
    const response: Response = await fetch(`${this.connection.url}${path}`, {
      method,
      headers: {
        Accept: CONFLUENT_CONTENT_TYPE,
        ...(options.body === undefined
          ? {}
          : { 'Content-Type': CONFLUENT_CONTENT_TYPE }),
        ...(authorization === undefined
          ? {}
          : { Authorization: authorization }),
      },
      signal: AbortSignal.timeout(options.timeoutMs),
      ...(options.body === undefined
        ? {}
        : { body: JSON.stringify(options.body) }),
      ...(this.dispatcher === undefined ? {} : { dispatcher: this.dispatcher }),
    });
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      throw new RegistryHttpError(
        `${registryMessage(body) ?? `HTTP ${response.status}`}`,
        response.status,
      );
    }
    return body;
  }

  async close(): Promise<void> {
    this.agent?.destroy();
    await this.dispatcher?.close();
  }
}

export function registryMessage(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null && 'message' in body) {
    const { message } = body;
    return typeof message === 'string' ? message : undefined;
  }
  return undefined;
}
