import { redactUrl } from '@subtasks/config';
import { z } from 'zod';

export const stackEnvNames = {
  kafkaBrokers: 'KAFKA_BROKERS',
  schemaRegistryUrl: 'SCHEMA_REGISTRY_URL',
  databaseUrl: 'DATABASE_URL',
  /** Where the stack looks for PostgreSQL (and runs its embedded one) while DATABASE_URL is unset. */
  defaultDatabaseUrl: 'STACK_DEFAULT_DATABASE_URL',
} as const;

/** Appended to the app database's name for the registry's: one stack's names never reach another's. */
export const registryDatabaseSuffix = '_registry';

/** PostgreSQL silently truncates longer identifiers, which could make two stacks' names meet. */
const maxIdentifierBytes = 63;

const registryApiPath = '/apis/ccompat/v7';

/** The one place the stack's default addresses live; everything else derives from them. */
export const stackDefaults = {
  env: stackEnvNames,
  kafkaBrokers: '127.0.0.1:9092',
  schemaRegistryUrl: `http://127.0.0.1:8081${registryApiPath}`,
  databaseUrl: 'postgresql://postgres@127.0.0.1:5432/subtasks',
  registryApiPath,
  registryDatabase: `subtasks${registryDatabaseSuffix}`,
  ports: {
    kafka: 9092,
    /** Always the broker port + 1. */
    kafkaController: 9093,
    registry: 8081,
    /** Always the registry port + 1000. */
    registryManagement: 9081,
    postgres: 5432,
  },
  versions: {
    kafka: '4.4.0',
    registry: '3.3.3',
  },
} as const;

export interface HostPort {
  host: string;
  port: number;
}

export interface KafkaConfig {
  /** Every broker clients should bootstrap from, as given in KAFKA_BROKERS. */
  brokers: string[];
  /** The local broker the stack runs: the first address in KAFKA_BROKERS. */
  listener: HostPort;
  controllerPort: number;
}

export interface RegistryConfig {
  /** Confluent-compatible API base, e.g. http://127.0.0.1:8081/apis/ccompat/v7 */
  url: string;
  listener: HostPort;
  managementPort: number;
}

export interface PostgresConfig {
  url: string;
  /**
   * True when DATABASE_URL is set: the stack uses that server as it is. Otherwise the stack uses
   * whatever answers on the default address, or starts its embedded PostgreSQL there.
   */
  explicit: boolean;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  registryDatabase: string;
}

export interface StackConfig {
  /** The three values as clients use them: KAFKA_BROKERS split, SCHEMA_REGISTRY_URL, DATABASE_URL. */
  kafkaBrokers: string[];
  schemaRegistryUrl: string;
  databaseUrl: string;
  kafka: KafkaConfig;
  registry: RegistryConfig;
  postgres: PostgresConfig;
}

export class StackConfigError extends Error {
  override readonly name = 'StackConfigError';
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const hostPattern = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

function parseHostPort(text: string): HostPort | undefined {
  const separator = text.lastIndexOf(':');
  if (separator <= 0) return undefined;
  const host = text.slice(0, separator);
  const port = parsePort(text.slice(separator + 1));
  if (!hostPattern.test(host) || port === undefined) return undefined;
  return { host, port };
}

export function parseKafkaBrokers(value: string): Parsed<KafkaConfig> {
  const brokers = value
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
  const bad = brokers.find((broker) => parseHostPort(broker) === undefined);
  if (brokers.length === 0 || bad !== undefined) {
    return {
      ok: false,
      message: `expected a comma-separated list of host:port, e.g. ${stackDefaults.kafkaBrokers}${bad === undefined || brokers.length === 1 ? '' : ` ("${bad}" is not host:port)`}`,
    };
  }
  const listener = parseHostPort(brokers[0]) as HostPort;
  if (listener.port === 65535) {
    return {
      ok: false,
      message:
        'the first broker port must leave room for the controller port (broker port + 1)',
    };
  }
  return {
    ok: true,
    value: { brokers, listener, controllerPort: listener.port + 1 },
  };
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

export function parseSchemaRegistryUrl(value: string): Parsed<RegistryConfig> {
  const example = stackDefaults.schemaRegistryUrl;
  const url = parseUrl(value);
  if (url === undefined || url.protocol !== 'http:') {
    return { ok: false, message: `expected an http:// URL, e.g. ${example}` };
  }
  const path = url.pathname.replace(/\/+$/, '');
  if (path !== registryApiPath) {
    return {
      ok: false,
      message: `the path must be ${registryApiPath} (the registry's Confluent-compatible API), e.g. ${example}`,
    };
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '') {
    return {
      ok: false,
      message: `expected no credentials, query or fragment, e.g. ${example}`,
    };
  }
  const port = url.port === '' ? 80 : Number(url.port);
  if (port + 1000 > 65535) {
    return {
      ok: false,
      message:
        'the port must leave room for the management port (registry port + 1000)',
    };
  }
  // URL keeps IPv6 brackets in hostname; Quarkus wants the bare address.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    ok: true,
    value: {
      url: `${url.protocol}//${url.host}${registryApiPath}`,
      listener: { host, port },
      managementPort: port + 1000,
    },
  };
}

export function parseDatabaseUrl(value: string): Parsed<PostgresConfig> {
  const example = stackDefaults.databaseUrl;
  const url = parseUrl(value);
  if (
    url === undefined ||
    (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:')
  ) {
    return {
      ok: false,
      message: `expected a postgresql:// URL, e.g. ${example}`,
    };
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (url.hostname === '' || database === '' || database.includes('/')) {
    return {
      ok: false,
      message: `expected postgresql://user[:password]@host[:port]/database, e.g. ${example}`,
    };
  }
  if (isRegistryDatabaseName(database)) {
    return {
      ok: false,
      message: `the database "${database}" has a name the stack gives registry databases (…${registryDatabaseSuffix}, …${registryDatabaseSuffix}_<plain|secure>_<N>)`,
    };
  }
  const registryDatabase = registryDatabaseOf(database);
  // Room for the longest profile suffix too (`_secure_9`).
  if (Buffer.byteLength(`${registryDatabase}_secure_9`) > maxIdentifierBytes) {
    return {
      ok: false,
      message: `the database name "${database}" is too long: the registry's databases add up to ${registryDatabaseSuffix.length + 9} characters to it and PostgreSQL allows ${maxIdentifierBytes} bytes`,
    };
  }
  return {
    ok: true,
    value: {
      url: value,
      explicit: true,
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? 5432 : Number(url.port),
      user: url.username === '' ? 'postgres' : decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database,
      registryDatabase,
    },
  };
}

/** The schema registry's database for an app database: `subtasks` → `subtasks_registry`. */
export function registryDatabaseOf(database: string): string {
  return `${database}${registryDatabaseSuffix}`;
}

function isRegistryDatabaseName(database: string): boolean {
  return new RegExp(`${registryDatabaseSuffix}(_(plain|secure)_\\d+)?$`).test(
    database,
  );
}

function envValue<T>(parse: (value: string) => Parsed<T>, fallback: string) {
  return z
    .string()
    .optional()
    .transform((raw, context) => {
      const text =
        raw === undefined || raw.trim() === '' ? fallback : raw.trim();
      const parsed = parse(text);
      if (parsed.ok) return parsed.value;
      context.addIssue({
        code: 'custom',
        message: `${parsed.message} (got "${redactUrl(text)}")`,
      });
      return z.NEVER;
    });
}

function isSet(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

const postgresEnvSchema = z.object({
  [stackEnvNames.databaseUrl]: envValue(
    parseDatabaseUrl,
    stackDefaults.databaseUrl,
  ),
  [stackEnvNames.defaultDatabaseUrl]: envValue(
    parseDatabaseUrl,
    stackDefaults.databaseUrl,
  ),
});

const stackEnvSchema = postgresEnvSchema.extend({
  [stackEnvNames.kafkaBrokers]: envValue(
    parseKafkaBrokers,
    stackDefaults.kafkaBrokers,
  ),
  [stackEnvNames.schemaRegistryUrl]: envValue(
    parseSchemaRegistryUrl,
    stackDefaults.schemaRegistryUrl,
  ),
});

function failure(issues: z.ZodError['issues']): StackConfigError {
  const problems = issues.map(
    (issue) => `  ${issue.path.join('.')}: ${issue.message}`,
  );
  return new StackConfigError(
    `Invalid stack configuration:\n${problems.join('\n')}`,
  );
}

function postgresOf(
  env: NodeJS.ProcessEnv,
  parsed: z.infer<typeof postgresEnvSchema>,
): PostgresConfig {
  return isSet(env[stackEnvNames.databaseUrl])
    ? parsed[stackEnvNames.databaseUrl]
    : { ...parsed[stackEnvNames.defaultDatabaseUrl], explicit: false };
}

function postgresInput(env: NodeJS.ProcessEnv) {
  return {
    [stackEnvNames.databaseUrl]: env[stackEnvNames.databaseUrl],
    [stackEnvNames.defaultDatabaseUrl]: env[stackEnvNames.defaultDatabaseUrl],
  };
}

/** DATABASE_URL alone (the profiles ignore the other variables); the error names each bad variable. */
export function loadPostgresConfig(
  env: NodeJS.ProcessEnv = process.env,
): PostgresConfig {
  const result = postgresEnvSchema.safeParse(postgresInput(env));
  if (!result.success) throw failure(result.error.issues);
  return postgresOf(env, result.data);
}

/** Reads the stack's addresses from the environment; the error names every bad variable. */
export function loadStackConfig(
  env: NodeJS.ProcessEnv = process.env,
): StackConfig {
  const result = stackEnvSchema.safeParse({
    ...postgresInput(env),
    [stackEnvNames.kafkaBrokers]: env[stackEnvNames.kafkaBrokers],
    [stackEnvNames.schemaRegistryUrl]: env[stackEnvNames.schemaRegistryUrl],
  });
  if (!result.success) throw failure(result.error.issues);
  const kafka = result.data[stackEnvNames.kafkaBrokers];
  const registry = result.data[stackEnvNames.schemaRegistryUrl];
  const postgres = postgresOf(env, result.data);
  return {
    kafkaBrokers: kafka.brokers,
    schemaRegistryUrl: registry.url,
    databaseUrl: postgres.url,
    kafka,
    registry,
    postgres,
  };
}
