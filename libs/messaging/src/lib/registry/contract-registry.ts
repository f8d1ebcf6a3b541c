import {
  COMPATIBILITY,
  SchemaRegistry,
  SchemaType,
} from '@kafkajs/confluent-schema-registry';
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
import type { SchemaLookup } from './schema-lookup';

/**
 * `register`: (dev) register each contract's schema under its subject, setting the subject's level.
 * `verify`: (production) only look up the id of the app's own schema; fail when it is not registered.
 */
export type RegistryMode = 'register' | 'verify';

export interface ContractRegistryOptions {
  /** Confluent-compatible API base, e.g. http://127.0.0.1:8081/apis/ccompat/v7 */
  readonly url: string;
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
const CONFLUENT_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/**
 * Schema ids for the app's contracts and writer schemas for incoming ids, each fetched once and
 * cached. Built on `@kafkajs/confluent-schema-registry`, with the registry differences of
 * Apicurio's Confluent API handled (see STACK.md).
 */
export class ContractRegistry implements SchemaLookup {
  private readonly client: SchemaRegistry;
  private readonly idsBySchema = new Map<string, Promise<number>>();
  private readonly writerTypes = new Map<number, Promise<Type>>();
  private readonly timeoutMs: number;

  constructor(private readonly options: ContractRegistryOptions) {
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.client = new SchemaRegistry(
      {
        host: options.url,
        clientId: REGISTRY_CLIENT_ID,
        middlewares: [requestTimeout(this.timeoutMs)],
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
    return this.options.url;
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
          `The schema of ${contract.messageName} is not registered under subject ${contract.subject} at ${this.options.url} (${failure.reason}). Register the schemas first: npx nx run schemas:register`,
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

  /** `PUT /config/{subject}`: Apicurio answers with its global level for a subject without one. */
  async setCompatibility(
    subject: string,
    level: CompatibilityLevel,
  ): Promise<CompatibilityLevel> {
    const where = `${this.options.url}/config/${encodeURIComponent(subject)}`;
    let response: Response;
    try {
      response = await fetch(where, {
        method: 'PUT',
        headers: { 'Content-Type': CONFLUENT_CONTENT_TYPE },
        body: JSON.stringify({ compatibility: level }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw this.failure(
        error,
        'SCHEMA_REJECTED',
        `Setting the compatibility level of subject ${subject} to ${level} failed`,
        { subject },
      );
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const reason = registryMessage(body) ?? `HTTP ${response.status}`;
      const kind =
        response.status >= 500 || registryMessage(body) === undefined
          ? 'REGISTRY_UNAVAILABLE'
          : 'SCHEMA_REJECTED';
      throw new MessagingError(
        kind,
        `Setting the compatibility level of subject ${subject} to ${level} at ${this.options.url} failed: ${reason}`,
        { subject },
      );
    }
    return level;
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
          `Schema id ${schemaId}${where} is not known to the registry at ${this.options.url}: ${failure.reason}`,
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
    if (failure.kind === 'unavailable') {
      return new MessagingError(
        'REGISTRY_UNAVAILABLE',
        `${what}: the schema registry at ${this.options.url} is unavailable (${failure.reason})`,
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

function registryMessage(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null && 'message' in body) {
    const { message } = body;
    return typeof message === 'string' ? message : undefined;
  }
  return undefined;
}
