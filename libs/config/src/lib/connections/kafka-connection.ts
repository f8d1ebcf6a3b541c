import { z } from 'zod';
import {
  type EnvironmentProblem,
  filePath,
  flag,
  InvalidEnvironmentError,
  milliseconds,
  parseEnvironment,
} from '../environment';
import { ENVIRONMENT_DEFAULTS } from '../defaults';
import {
  PemFileError,
  PrivateKeyError,
  readCertificates,
  readPrivateKey,
} from './pem-files';

export const KAFKA_SASL_MECHANISMS = [
  'plain',
  'scram-sha-256',
  'scram-sha-512',
] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

const hostPort = /^[^\s:/]+:\d{1,5}$/;

const brokers = z
  .string()
  .trim()
  .transform((value) =>
    value
      .split(',')
      .map((broker) => broker.trim())
      .filter((broker) => broker.length > 0),
  )
  .refine((list) => list.length > 0 && list.every((b) => hostPort.test(b)), {
    message: 'must be a comma-separated list of host:port, e.g. 127.0.0.1:9092',
  });

/** Where the cluster is and how to reach it: every Kafka client of the project is built from these. */
export const kafkaEnvironment = z.object({
  KAFKA_BROKERS: brokers.prefault(ENVIRONMENT_DEFAULTS.KAFKA_BROKERS),
  /** Overrides the catalogue's client id (quotas and ACLs are often keyed on it). */
  KAFKA_CLIENT_ID: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]+$/, 'must be letters, digits, ".", "_" or "-"')
    .optional(),
  KAFKA_SSL: flag(false),
  KAFKA_SSL_CA_FILE: filePath.optional(),
  KAFKA_SSL_CERT_FILE: filePath.optional(),
  KAFKA_SSL_KEY_FILE: filePath.optional(),
  KAFKA_SSL_KEY_PASSWORD: z.string().optional(),
  /** `false` still verifies the chain against the CA, but not that the name matches the broker's. */
  KAFKA_SSL_CHECK_SERVER_NAME: flag(true),
  KAFKA_SASL_MECHANISM: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(
      z.enum(KAFKA_SASL_MECHANISMS, {
        message: `must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}`,
      }),
    )
    .optional(),
  KAFKA_SASL_USERNAME: z.string().trim().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  KAFKA_CONNECTION_TIMEOUT_MS: milliseconds(3_000),
  KAFKA_REQUEST_TIMEOUT_MS: milliseconds(10_000),
  /**
   * How long the group waits for a silent consumer before its partitions move: a crashed instance's
   * work resumes elsewhere after about this long. 6 s is the broker's default minimum.
   */
  KAFKA_SESSION_TIMEOUT_MS: milliseconds(6_000),
  KAFKA_HEARTBEAT_INTERVAL_MS: milliseconds(1_000),
});

export type KafkaEnvironment = z.infer<typeof kafkaEnvironment>;

export interface KafkaTls {
  /** PEM CA bundle; the platform's trusted CAs when absent. */
  readonly ca?: string;
  /** Where `ca` was read from, for messages. */
  readonly caFile?: string;
  /** PEM client certificate and key, for brokers that require mutual TLS. */
  readonly cert?: string;
  readonly key?: string;
  readonly keyPassword?: string;
  readonly checkServerName: boolean;
}

export interface KafkaSasl {
  readonly mechanism: KafkaSaslMechanism;
  readonly username: string;
  readonly password: string;
}

/** A validated way to reach one Kafka cluster; plain data, safe to share (clients copy what they use). */
export interface KafkaConnection {
  readonly brokers: readonly string[];
  /** Set only when KAFKA_CLIENT_ID overrides the catalogue's. */
  readonly clientId?: string;
  /** Absent: plaintext. */
  readonly tls?: KafkaTls;
  /** Absent: no authentication. */
  readonly sasl?: KafkaSasl;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** Consumer groups: when a silent member is given up, and how often members say they live. */
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
}

type KafkaConnectionInput = KafkaEnvironment & { NODE_ENV?: string };

interface Checked<T> {
  readonly value?: T;
  readonly problems: EnvironmentProblem[];
}

/** The connection a valid environment describes, or every problem with it, each on its variable. */
export function checkKafkaConnection(
  env: KafkaConnectionInput,
): Checked<KafkaConnection> {
  const tls = checkTls(env);
  const sasl = checkSasl(env);
  const problems = [...tls.problems, ...sasl.problems];
  if (env.KAFKA_HEARTBEAT_INTERVAL_MS * 3 > env.KAFKA_SESSION_TIMEOUT_MS)
    problems.push({
      variable: 'KAFKA_HEARTBEAT_INTERVAL_MS',
      message: `must be at most a third of KAFKA_SESSION_TIMEOUT_MS (${env.KAFKA_SESSION_TIMEOUT_MS} ms), or a missed heartbeat or two ends the session`,
    });
  if (problems.length > 0) return { problems };
  return {
    problems,
    value: {
      brokers: env.KAFKA_BROKERS,
      ...(env.KAFKA_CLIENT_ID === undefined
        ? {}
        : { clientId: env.KAFKA_CLIENT_ID }),
      ...(tls.value === undefined ? {} : { tls: tls.value }),
      ...(sasl.value === undefined ? {} : { sasl: sasl.value }),
      connectionTimeoutMs: env.KAFKA_CONNECTION_TIMEOUT_MS,
      requestTimeoutMs: env.KAFKA_REQUEST_TIMEOUT_MS,
      sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
      heartbeatIntervalMs: env.KAFKA_HEARTBEAT_INTERVAL_MS,
    },
  };
}

/** The Kafka connection that raw environment variables describe (tools and tests); throws naming each bad one. */
export function kafkaConnectionFromEnvironment(
  env: Record<string, unknown> = process.env,
): KafkaConnection {
  return kafkaConnectionOf({
    ...parseEnvironment(kafkaEnvironment, env),
    NODE_ENV: typeof env['NODE_ENV'] === 'string' ? env['NODE_ENV'] : undefined,
  });
}

/** The Kafka connection of a parsed environment; throws naming each bad variable. */
export function kafkaConnectionOf(env: KafkaConnectionInput): KafkaConnection {
  const { value, problems } = checkKafkaConnection(env);
  if (value === undefined) throw InvalidEnvironmentError.of(problems);
  return value;
}

const TLS_FILES = [
  'KAFKA_SSL_CA_FILE',
  'KAFKA_SSL_CERT_FILE',
  'KAFKA_SSL_KEY_FILE',
  'KAFKA_SSL_KEY_PASSWORD',
] as const;

function checkTls(env: KafkaConnectionInput): Checked<KafkaTls> {
  const problems: EnvironmentProblem[] = [];
  if (!env.KAFKA_SSL) {
    for (const variable of TLS_FILES) {
      if (env[variable] !== undefined)
        problems.push({
          variable,
          message: 'is set, but KAFKA_SSL is not true',
        });
    }
    return { problems };
  }
  let ca: string | undefined;
  if (env.KAFKA_SSL_CA_FILE !== undefined) {
    try {
      ca = readCertificates(env.KAFKA_SSL_CA_FILE).pem;
    } catch (error) {
      problems.push({
        variable: 'KAFKA_SSL_CA_FILE',
        message: pemMessage(error),
      });
    }
  }
  const client = checkClientCertificate(env);
  problems.push(...client.problems);
  if (problems.length > 0) return { problems };
  return {
    problems,
    value: {
      ...(ca === undefined ? {} : { ca, caFile: env.KAFKA_SSL_CA_FILE }),
      ...client.value,
      checkServerName: env.KAFKA_SSL_CHECK_SERVER_NAME,
    },
  };
}

type ClientCertificate = Pick<KafkaTls, 'cert' | 'key' | 'keyPassword'>;

function checkClientCertificate(
  env: KafkaConnectionInput,
): Checked<ClientCertificate> {
  const certFile = env.KAFKA_SSL_CERT_FILE;
  const keyFile = env.KAFKA_SSL_KEY_FILE;
  const password = env.KAFKA_SSL_KEY_PASSWORD;
  if (certFile === undefined && keyFile === undefined) {
    return password === undefined
      ? { problems: [], value: {} }
      : {
          problems: [
            {
              variable: 'KAFKA_SSL_KEY_PASSWORD',
              message: 'is set, but KAFKA_SSL_KEY_FILE is not',
            },
          ],
        };
  }
  if (certFile === undefined || keyFile === undefined) {
    const missing =
      certFile === undefined ? 'KAFKA_SSL_CERT_FILE' : 'KAFKA_SSL_KEY_FILE';
    const given =
      certFile === undefined ? 'KAFKA_SSL_KEY_FILE' : 'KAFKA_SSL_CERT_FILE';
    return {
      problems: [
        {
          variable: missing,
          message: `is required with ${given}: a client certificate needs its key`,
        },
      ],
    };
  }
  const problems: EnvironmentProblem[] = [];
  let certificate;
  try {
    certificate = readCertificates(certFile);
  } catch (error) {
    problems.push({
      variable: 'KAFKA_SSL_CERT_FILE',
      message: pemMessage(error),
    });
  }
  let key;
  try {
    key = readPrivateKey(keyFile, password);
  } catch (error) {
    problems.push(keyProblem(error));
  }
  if (certificate === undefined || key === undefined) return { problems };
  if (!certificate.certificates[0]?.checkPrivateKey(key.key)) {
    return {
      problems: [
        {
          variable: 'KAFKA_SSL_KEY_FILE',
          message: `is not the key of the certificate in KAFKA_SSL_CERT_FILE`,
        },
      ],
    };
  }
  return {
    problems,
    value: {
      cert: certificate.pem,
      key: key.pem,
      ...(password === undefined ? {} : { keyPassword: password }),
    },
  };
}

function keyProblem(error: unknown): EnvironmentProblem {
  if (error instanceof PrivateKeyError && error.problem === 'encrypted')
    return {
      variable: 'KAFKA_SSL_KEY_PASSWORD',
      message: `is required: ${error.message}`,
    };
  if (error instanceof PrivateKeyError && error.problem === 'wrong-password')
    return { variable: 'KAFKA_SSL_KEY_PASSWORD', message: error.message };
  return { variable: 'KAFKA_SSL_KEY_FILE', message: pemMessage(error) };
}

function checkSasl(env: KafkaConnectionInput): Checked<KafkaSasl> {
  const mechanism = env.KAFKA_SASL_MECHANISM;
  const username = env.KAFKA_SASL_USERNAME;
  const password = env.KAFKA_SASL_PASSWORD;
  if (mechanism === undefined) {
    const stray = (
      [
        ['KAFKA_SASL_USERNAME', username],
        ['KAFKA_SASL_PASSWORD', password],
      ] as const
    ).filter(([, value]) => value !== undefined);
    return {
      problems: stray.map(([variable]) => ({
        variable,
        message: `is set, but KAFKA_SASL_MECHANISM is not (one of ${KAFKA_SASL_MECHANISMS.join(', ')})`,
      })),
    };
  }
  const problems: EnvironmentProblem[] = [];
  if (username === undefined)
    problems.push({
      variable: 'KAFKA_SASL_USERNAME',
      message: `is required with KAFKA_SASL_MECHANISM=${mechanism}`,
    });
  if (password === undefined)
    problems.push({
      variable: 'KAFKA_SASL_PASSWORD',
      message: `is required with KAFKA_SASL_MECHANISM=${mechanism}`,
    });
  if (mechanism === 'plain' && !env.KAFKA_SSL && env.NODE_ENV === 'production')
    problems.push({
      variable: 'KAFKA_SASL_MECHANISM',
      message:
        'plain sends the password as clear text: production needs KAFKA_SSL=true with it',
    });
  if (problems.length > 0 || username === undefined || password === undefined)
    return { problems };
  return { problems, value: { mechanism, username, password } };
}

function pemMessage(error: unknown): string {
  return error instanceof PemFileError ? error.message : String(error);
}
