import {
  COMPATIBILITY,
  SchemaRegistry,
  SchemaType,
} from '@kafkajs/confluent-schema-registry';
import {
  registryCredentialVariables,
  type RegistryConnection,
} from '@subtasks/config';
import {
  avroTypeOptions,
  type CompatibilityLevel,
  type ContractClass,
} from '@subtasks/contracts';
import { Type } from 'avsc';
import { MessagingError } from '../errors/messaging-error';
import {
  REGISTRY_CLIENT_ID,
  classifyRegistryFailure,
  type RegistryFailure,
} from './registry-failure';
import { RegistryHttp, RegistryHttpError } from './registry-http';
import type { SchemaLookup } from './schema-lookup';

/**
 * `register`: (dev) register each contract's schema under its subject, setting the subject's level.
 * `verify`: (production) only look up the id of the app's own schema; fail when it is not registered.
 */
export type RegistryMode = 'register' | 'verify';

export interface ContractRegistryOptions {
  /** The registry's Confluent-compatible API, its credentials and CA. */
  readonly connection: RegistryConnection;
  readonly mode: RegistryMode;
  /** Per HTTP request; the library retries 5xx answers a few times on top. Default 5 s. */
  readonly requestTimeoutMs?: number;
}

/** One registered schema, as the registration CLI prints it. */
export interface RegisteredContract {
  readonly messageName: string;
  readonly subject: string;
  readonly id: number;
  readonly compatibility: CompatibilityLevel;
}

type RegistryMiddleware = NonNullable<
  ConstructorParameters<typeof SchemaRegistry>[0]['middlewares']
>[number];

const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
const COMPATIBILITY_PUT_ATTEMPTS = 3;

/**
 * Schema ids for the app's contracts and writer schemas for incoming ids, each fetched once and
 * cached. Built on `@kafkajs/confluent-schema-registry`, with the registry differences of
 * Apicurio's Confluent API handled at the methods that meet them (`setCompatibility`).
 */
export class ContractRegistry implements SchemaLookup {
  private readonly client: SchemaRegistry;
  private readonly idsBySchema = new Map<string, Promise<number>>();
  private readonly writerTypes = new Map<number, Promise<Type>>();
  private readonly timeoutMs: number;
  private readonly http: RegistryHttp;

  constructor(private readonly options: ContractRegistryOptions) {
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.http = new RegistryHttp(options.connection);
    const { auth } = options.connection;
    this.client = new SchemaRegistry(
      {
        host: options.connection.url,
        clientId: REGISTRY_CLIENT_ID,
        ...(auth?.kind === 'basic'
          ? { auth: { username: auth.username, password: auth.password } }
          : {}),
        ...(this.http.agent === undefined ? {} : { agent: this.http.agent }),
        middlewares: [
          requestTimeout(this.timeoutMs),
          ...(auth?.kind === 'bearer' ? [bearerToken(auth.token)] : []),
        ],
      },
      {
        // avsc records the named types it parses in the options object it is given, so one shared
        // object would make the second schema defining `UploadOutcome` fail as a duplicate name.
        get [SchemaType.AVRO]() {
          return avroTypeOptions();
        },
      },
    );
  }

  get url(): string {
    return this.options.connection.url;
  }

  /** One authenticated request (the subject list): the health probe. */
  async ping(): Promise<number> {
    try {
      const subjects = await this.http.json('GET', '/subjects', {
        timeoutMs: this.timeoutMs,
      });
      return Array.isArray(subjects) ? subjects.length : 0;
    } catch (error) {
      throw this.failure(
        error,
        'SCHEMA_REJECTED',
        'Listing the subjects failed',
        {},
      );
    }
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  /** Nest calls this for the app's registry on shutdown. */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  get mode(): RegistryMode {
    return this.options.mode;
  }

  /** Registers (register mode) or verifies (verify mode) the contract's schema; cached per schema. */
  schemaIdOf(contract: ContractClass): Promise<number> {
    const key = `${contract.subject}\n${contract.schemaJson}`;
    return this.cached(this.idsBySchema, key, () =>
      this.options.mode === 'register'
        ? this.register(contract).then((registered) => registered.id)
        : this.verify(contract),
    );
  }

  /** Resolves the ids of all given contracts up front, so a missing schema fails at boot. */
  async prepare(contracts: readonly ContractClass[]): Promise<void> {
    for (const contract of contracts) {
      await this.schemaIdOf(contract);
    }
  }

  /** The writer's schema of an id, fetched once; unknown ids are remembered as unknown. */
  writerTypeOf(schemaId: number, topic?: string): Promise<Type> {
    return this.cached(
      this.writerTypes,
      schemaId,
      () => this.fetchWriterType(schemaId, topic),
      (error) =>
        !(
          error instanceof MessagingError && error.code === 'UNKNOWN_SCHEMA_ID'
        ),
    );
  }

  /**
   * Sets the subject's compatibility level from the contract, then registers its schema there.
   * Idempotent: the same schema under the same subject keeps its id.
   */
  async register(contract: ContractClass): Promise<RegisteredContract> {
    const compatibility = await this.setCompatibility(
      contract.subject,
      contract.compatibility,
    );
    try {
      const { id } = await this.client.register(
        { type: SchemaType.AVRO, schema: contract.schemaJson },
        {
          subject: contract.subject,
          compatibility: COMPATIBILITY[contract.compatibility],
        },
      );
      return {
        messageName: contract.messageName,
        subject: contract.subject,
        id,
        compatibility,
      };
    } catch (error) {
      throw this.failure(
        error,
        'SCHEMA_REJECTED',
        `The registry rejected the schema of ${contract.messageName} under subject ${contract.subject}`,
        { subject: contract.subject },
      );
    }
  }

  /** The id of the contract's exact schema under its subject; SCHEMA_NOT_REGISTERED when absent. */
  async verify(contract: ContractClass): Promise<number> {
    try {
      return await this.client.getRegistryIdBySchema(contract.subject, {
        type: SchemaType.AVRO,
        schema: contract.schemaJson,
      });
    } catch (error) {
      const failure = classifyRegistryFailure(error);
      // The library rethrows a 404 as a plain ConfluentSchemaRegistryError, without the status.
      const notFound =
        failure.kind === 'not-found' ||
        (error instanceof Error &&
          error.name === 'ConfluentSchemaRegistryError' &&
          !failure.reason.startsWith('Error, status'));
      if (notFound) {
        throw new MessagingError(
          'SCHEMA_NOT_REGISTERED',
          `The schema of ${contract.messageName} is not registered under subject ${contract.subject} at ${this.options.connection.url} (${failure.reason}). Register the schemas first: npx nx run schemas:register`,
          { subject: contract.subject, cause: error },
        );
      }
      throw this.failure(
        error,
        'SCHEMA_REJECTED',
        `Looking up the schema of ${contract.messageName} under subject ${contract.subject} failed`,
        { subject: contract.subject },
      );
    }
  }

  /**
   * `PUT /config/{subject}`. Apicurio creates the subject's rule on the first PUT and answers 409
   * ("A rule named 'COMPATIBILITY' already exists") to a second PUT racing it — two processes
   * booting together against a fresh registry; the rule exists then, and the PUT again updates it.
   */
  async setCompatibility(
    subject: string,
    level: CompatibilityLevel,
  ): Promise<CompatibilityLevel> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.http.json('PUT', `/config/${encodeURIComponent(subject)}`, {
          body: { compatibility: level },
          timeoutMs: this.timeoutMs,
        });
        return level;
      } catch (error) {
        const lostTheRace =
          error instanceof RegistryHttpError && error.status === 409;
        if (lostTheRace && attempt < COMPATIBILITY_PUT_ATTEMPTS) continue;
        throw this.failure(
          error,
          'SCHEMA_REJECTED',
          `Setting the compatibility level of subject ${subject} to ${level} failed`,
          { subject },
        );
      }
    }
  }

  private async fetchWriterType(
    schemaId: number,
    topic?: string,
  ): Promise<Type> {
    const where = topic === undefined ? '' : ` (message on topic ${topic})`;
    let schema: unknown;
    try {
      schema = await this.client.getSchema(schemaId);
    } catch (error) {
      const failure = classifyRegistryFailure(error);
      if (failure.kind === 'not-found') {
        throw new MessagingError(
          'UNKNOWN_SCHEMA_ID',
          `Schema id ${schemaId}${where} is not known to the registry at ${this.options.connection.url}: ${failure.reason}`,
          { schemaId, topic, cause: error },
        );
      }
      throw this.failure(
        error,
        'SCHEMA_MISMATCH',
        `Reading the writer schema of id ${schemaId}${where} failed`,
        { schemaId, topic },
      );
    }
    if (!(schema instanceof Type)) {
      throw new MessagingError(
        'SCHEMA_MISMATCH',
        `Schema id ${schemaId}${where} is not an Avro schema`,
        { schemaId, topic },
      );
    }
    return schema;
  }

  /** REGISTRY_UNAVAILABLE for transient failures, else `code` with the registry's own message. */
  private failure(
    error: unknown,
    code: 'SCHEMA_REJECTED' | 'SCHEMA_MISMATCH',
    what: string,
    details: { subject?: string; schemaId?: number; topic?: string },
  ): MessagingError {
    const failure: RegistryFailure = classifyRegistryFailure(error);
    const url = this.options.connection.url;
    if (failure.kind === 'unavailable') {
      return new MessagingError(
        'REGISTRY_UNAVAILABLE',
        `${what}: the schema registry at ${url} is unavailable (${failure.reason})`,
        { ...details, cause: error },
      );
    }
    if (failure.kind === 'unauthorized') {
      return new MessagingError(
        'REGISTRY_REFUSED',
        `${what}: the schema registry at ${url} refused ${failure.reason.startsWith('HTTP 403') ? 'this operation to the configured user' : 'the credentials'} (${failure.reason}): check ${registryCredentialVariables(this.options.connection)}`,
        { ...details, cause: error },
      );
    }
    if (failure.kind === 'untrusted') {
      return new MessagingError(
        'REGISTRY_REFUSED',
        `${what}: the TLS certificate of the schema registry at ${url} is not trusted (${failure.reason}): check SCHEMA_REGISTRY_CA_FILE${this.options.connection.ca === undefined ? ' (not set: only the platform’s CAs are trusted)' : ''}`,
        { ...details, cause: error },
      );
    }
    return new MessagingError(code, `${what}: ${failure.reason}`, {
      ...details,
      cause: error,
    });
  }

  /** One promise per key; a failure is dropped (so a later call retries) when `forgetFailure` says so. */
  private cached<K, V>(
    cache: Map<K, Promise<V>>,
    key: K,
    load: () => Promise<V>,
    forgetFailure: (error: unknown) => boolean = () => true,
  ): Promise<V> {
    const existing = cache.get(key);
    if (existing !== undefined) {
      return existing;
    }
    const loading = load();
    cache.set(key, loading);
    loading.catch((error: unknown) => {
      if (forgetFailure(error)) {
        cache.delete(key);
      }
    });
    return loading;
  }
}

function requestTimeout(timeoutMs: number): RegistryMiddleware {
  return () => ({
    prepareRequest: (next) =>
      next().then((request) => request.enhance({ timeout: timeoutMs })),
  });
}

function bearerToken(token: string): RegistryMiddleware {
  return () => ({
    prepareRequest: (next) =>
      next().then((request) =>
        request.enhance({ headers: { Authorization: `Bearer ${token}` } }),
      ),
  });
}
