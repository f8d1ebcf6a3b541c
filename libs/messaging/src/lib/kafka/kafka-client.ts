import { type KafkaConnection, serviceLogger } from '@subtasks/config';
import {
  Kafka,
  type KafkaConfig,
  type LogEntry,
  type logCreator,
  logLevel,
  type RetryOptions,
  type SASLOptions,
} from 'kafkajs';
import type { ConnectionOptions } from 'node:tls';

export interface KafkaClientOptions {
  /** The catalogue's client id; KAFKA_CLIENT_ID (the connection's `clientId`) replaces it. */
  readonly clientId: string;
  /** Appended to the client id, e.g. `health` → `subtask-health`, so brokers can tell clients apart. */
  readonly purpose?: string;
  readonly logLevel?: logLevel;
  /** Default: {@link structuredKafkaLogs}, kafkajs's lines as fields of the service's pino logger. */
  readonly logCreator?: logCreator;
  readonly retry?: RetryOptions;
  /** Shorter than the connection's, for probes that must answer quickly. */
  readonly timeoutMs?: number;
}

/**
 * The kafkajs settings for one client of `connection`: the only way this project configures a Kafka
 * client (apps' Nest transports, producers, admins, tools and tests). A fresh object on every call,
 * because kafkajs binds its SASL authenticator to the object it is given.
 */
export function kafkaClientConfig(
  connection: KafkaConnection,
  options: KafkaClientOptions,
): KafkaConfig {
  const base = connection.clientId ?? options.clientId;
  const timeoutMs = options.timeoutMs;
  return {
    clientId:
      options.purpose === undefined ? base : `${base}-${options.purpose}`,
    brokers: [...connection.brokers],
    connectionTimeout: Math.min(
      connection.connectionTimeoutMs,
      timeoutMs ?? Infinity,
    ),
    requestTimeout: Math.min(
      connection.requestTimeoutMs,
      timeoutMs ?? Infinity,
    ),
    ...(connection.tls === undefined ? {} : { ssl: tlsOptions(connection) }),
    ...(connection.sasl === undefined ? {} : { sasl: saslOptions(connection) }),
    ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
    // Also replaces Nest's KafkaLogger, which would put these fields into the message as JSON text.
    logCreator: options.logCreator ?? structuredKafkaLogs(),
    ...(options.retry === undefined ? {} : { retry: { ...options.retry } }),
  };
}

/** A kafkajs client of `connection`; see {@link kafkaClientConfig}. */
export function createKafka(
  connection: KafkaConnection,
  options: KafkaClientOptions,
): Kafka {
  return new Kafka(kafkaClientConfig(connection, options));
}

/** The pino methods kafkajs's lines go to. */
export interface StructuredLogger {
  error(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
  debug(fields: object, message: string): void;
}

function methodOf(level: logLevel): keyof StructuredLogger {
  switch (level) {
    case logLevel.ERROR:
    case logLevel.NOTHING:
      return 'error';
    case logLevel.WARN:
      return 'warn';
    case logLevel.INFO:
      return 'info';
    default:
      return 'debug';
  }
}

/** kafkajs's own console output, for processes without a service logger (tools, tests). */
function consoleLine({ namespace, level, label, log }: LogEntry): void {
  const prefix = namespace === '' ? '' : `[${namespace}] `;
  const line = JSON.stringify({
    level: label,
    ...log,
    message: `${prefix}${log.message}`,
  });
  if (level === logLevel.ERROR) console.error(line);
  else if (level === logLevel.WARN) console.warn(line);
  else console.log(line);
}

/**
 * kafkajs's log lines as structured fields of the service's pino logger (`logger: "kafkajs"`,
 * `namespace`, and whatever kafkajs adds: broker, clientId, groupId, error, retryCount, …; its
 * message as the line's message). `target` is asked at every line, because kafkajs clients are often
 * made before Nest has made the logger; without one, kafkajs's usual console line is written.
 */
export function structuredKafkaLogs(
  target: () => StructuredLogger | undefined = serviceLogger,
): logCreator {
  return () => (entry) => {
    const logger = target();
    if (logger === undefined) {
      consoleLine(entry);
      return;
    }
    const {
      message,
      timestamp: _timestamp,
      logger: _kafkajs,
      ...fields
    } = entry.log;
    logger[methodOf(entry.level)](
      { logger: 'kafkajs', namespace: entry.namespace, ...fields },
      message,
    );
  };
}

function tlsOptions({ tls }: KafkaConnection): ConnectionOptions {
  if (tls === undefined) return {};
  return {
    rejectUnauthorized: true,
    ...(tls.ca === undefined ? {} : { ca: [tls.ca] }),
    ...(tls.cert === undefined ? {} : { cert: tls.cert }),
    ...(tls.key === undefined ? {} : { key: tls.key }),
    ...(tls.keyPassword === undefined ? {} : { passphrase: tls.keyPassword }),
    // The chain is still verified against the CA; only the broker's name is not compared.
    ...(tls.checkServerName ? {} : { checkServerIdentity: () => undefined }),
  };
}

function saslOptions({ sasl }: KafkaConnection): SASLOptions {
  if (sasl === undefined) throw new Error('no SASL settings');
  const { username, password } = sasl;
  switch (sasl.mechanism) {
    case 'plain':
      return { mechanism: 'plain', username, password };
    case 'scram-sha-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'scram-sha-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}
