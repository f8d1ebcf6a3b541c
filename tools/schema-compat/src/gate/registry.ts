import { Agent, fetch, type Response } from 'undici';
import { isCompatibilityLevel, type CompatibilityLevel } from '../lib/model';

export const REGISTRY_MODES = ['auto', 'off', 'required'] as const;
export type RegistryMode = (typeof REGISTRY_MODES)[number];

export const DEFAULT_REGISTRY_URL = 'http://127.0.0.1:8081/apis/ccompat/v7';

/** A registry request that failed: network error, timeout or unexpected HTTP status. */
export class RegistryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/**
 * Read-only client of the Confluent-compatible API: it lists, reads and asks
 * `/compatibility`, and has no method that registers or configures anything.
 */
export class ReadOnlyRegistry {
  private globalLevel: Promise<CompatibilityLevel> | undefined;
  private readonly dispatcher: Agent | undefined;

  constructor(
    readonly url: string,
    private readonly timeoutMs = 10_000,
    private readonly access: { authorization?: string; ca?: string } = {},
  ) {
    this.dispatcher =
      access.ca === undefined
        ? undefined
        : new Agent({ connect: { ca: access.ca } });
  }

  /** `GET /subjects`: the registered subjects (also the reachability probe). */
  async subjects(timeoutMs = this.timeoutMs): Promise<string[]> {
    const body = await this.request('GET', '/subjects', undefined, timeoutMs);
    if (!Array.isArray(body) || !body.every((s) => typeof s === 'string'))
      throw new RegistryError(
        `GET /subjects: expected a list of subjects, got ${JSON.stringify(body)}`,
      );
    return body as string[];
  }

  /** `GET /subjects/{s}/versions`, ascending. */
  async versions(subject: string): Promise<number[]> {
    const path = `${subjectPath(subject)}/versions`;
    const body = await this.request('GET', path);
    if (!Array.isArray(body) || !body.every((v) => typeof v === 'number'))
      throw new RegistryError(
        `GET ${path}: expected a list of versions, got ${JSON.stringify(body)}`,
      );
    return [...(body as number[])].sort((a, b) => a - b);
  }

  /** The level the registry applies to a subject: its own, else the global one. */
  async level(subject: string): Promise<CompatibilityLevel> {
    try {
      return levelOf(
        await this.request('GET', `/config/${encodeURIComponent(subject)}`),
      );
    } catch (error) {
      if (!(error instanceof RegistryError) || error.status !== 404)
        throw error;
    }
    this.globalLevel ??= this.request('GET', '/config').then(levelOf);
    return this.globalLevel;
  }

  /**
   * `POST /subjects/{s}`: the version the registry already has for this
   * schema (by its canonical form), which registering it would answer with;
   * undefined when it has none. Never registers anything.
   */
  async lookup(subject: string, schema: string): Promise<number | undefined> {
    let body: unknown;
    try {
      body = await this.request('POST', subjectPath(subject), {
        schema,
        schemaType: 'AVRO',
      });
    } catch (error) {
      if (error instanceof RegistryError && error.status === 404)
        return undefined;
      throw error;
    }
    const version = isRecord(body) ? body['version'] : undefined;
    if (typeof version !== 'number')
      throw new RegistryError(
        `POST ${subjectPath(subject)}: no version in ${JSON.stringify(body)}`,
      );
    return version;
  }

  /** `GET /subjects/{s}/versions/{v}`: the schema text the registry stored. */
  async schemaAt(subject: string, version: number): Promise<string> {
    const path = `${subjectPath(subject)}/versions/${version}`;
    const body = await this.request('GET', path);
    const schema = isRecord(body) ? body['schema'] : undefined;
    if (typeof schema !== 'string')
      throw new RegistryError(
        `GET ${path}: no schema in ${JSON.stringify(body)}`,
      );
    return schema;
  }

  /** `POST /compatibility/subjects/{s}/versions/{v}`: never registers anything. */
  async isCompatible(
    subject: string,
    version: number | 'latest',
    schema: string,
  ): Promise<boolean> {
    const path = `/compatibility${subjectPath(subject)}/versions/${version}`;
    const body = await this.request('POST', path, {
      schema,
      schemaType: 'AVRO',
    });
    const verdict = isRecord(body) ? body['is_compatible'] : undefined;
    if (typeof verdict !== 'boolean')
      throw new RegistryError(
        `POST ${path}: no is_compatible in ${JSON.stringify(body)}`,
      );
    return verdict;
  }

  private async request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    timeoutMs = this.timeoutMs,
  ): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method,
        headers: {
          Accept: CONTENT_TYPE,
          'Content-Type': CONTENT_TYPE,
          ...(this.access.authorization === undefined
            ? {}
            : { Authorization: this.access.authorization }),
        },
        signal: AbortSignal.timeout(timeoutMs),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(this.dispatcher === undefined
          ? {}
          : { dispatcher: this.dispatcher }),
      });
    } catch (error) {
      throw new RegistryError(
        `${method} ${this.url}${path}: ${describeFetchError(error)}`,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      throw new RegistryError(
        `${method} ${path}: HTTP ${response.status} ${errorMessage(text)}`,
        response.status,
      );
    }
    try {
      return text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      throw new RegistryError(
        `${method} ${path}: not JSON: ${text.slice(0, 200)}`,
      );
    }
  }
}

function subjectPath(subject: string): string {
  return `/subjects/${encodeURIComponent(subject)}`;
}

function levelOf(body: unknown): CompatibilityLevel {
  const level = isRecord(body) ? body['compatibilityLevel'] : undefined;
  if (typeof level !== 'string' || !isCompatibilityLevel(level))
    throw new RegistryError(
      `unexpected compatibility config ${JSON.stringify(body)}`,
    );
  return level;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as unknown;
    const message = isRecord(body) ? body['message'] : undefined;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: show the text itself
  }
  return text.slice(0, 200);
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError')
    return 'timed out';
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })
    .cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return (error as Error).message;
}
