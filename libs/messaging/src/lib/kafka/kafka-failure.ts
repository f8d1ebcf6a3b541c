import type { KafkaConnection } from '@subtasks/config';
import { MessagingError } from '../errors/messaging-error';

const UNTRUSTED_CERTIFICATE = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
]);
const CERTIFICATE_DATES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
]);
const NOT_AUTHORIZED = /AUTHORIZATION_FAILED$/;

interface ErrorFacts {
  readonly name?: string;
  readonly message: string;
  readonly code?: string;
  readonly type?: string;
  readonly broker?: string;
}

/** The innermost cause that says what happened: kafkajs wraps socket and TLS errors in retries. */
function rootFacts(error: unknown): ErrorFacts {
  let current: unknown = error;
  let facts = factsOf(error);
  for (let depth = 0; depth < 10; depth++) {
    const next = (current as { cause?: unknown } | null)?.cause;
    if (next === undefined || next === null || next === current) break;
    current = next;
    const inner = factsOf(next);
    facts = {
      ...inner,
      broker: inner.broker ?? facts.broker,
      code: inner.code ?? facts.code,
    };
  }
  return facts;
}

function factsOf(error: unknown): ErrorFacts {
  if (typeof error !== 'object' || error === null)
    return { message: String(error) };
  const read = (key: string) => {
    const value = Reflect.get(error, key);
    return typeof value === 'string' ? value : undefined;
  };
  return {
    name: read('name'),
    message: read('message') ?? String(error),
    code: read('code'),
    type: read('type'),
    broker: read('broker'),
  };
}

/**
 * A Kafka failure at connect time explained for the person who configured it: what went wrong, with
 * which broker, and which variable to check. Never carries a password (kafkajs puts none in its
 * messages, and none is added here).
 */
export function explainKafkaFailure(
  error: unknown,
  connection: KafkaConnection,
): MessagingError {
  const facts = rootFacts(error);
  const broker = facts.broker ?? connection.brokers.join(', ');
  const code = facts.code ?? '';
  const details = { cause: error };
  if (facts.name === 'KafkaJSSASLAuthenticationError') {
    const who =
      connection.sasl === undefined
        ? 'the client'
        : `user "${connection.sasl.username}" (${connection.sasl.mechanism})`;
    return new MessagingError(
      'KAFKA_REFUSED',
      `Kafka refused to authenticate ${who}: check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (${facts.message})`,
      details,
    );
  }
  if (UNTRUSTED_CERTIFICATE.has(code)) {
    const ca =
      connection.tls?.caFile === undefined
        ? 'KAFKA_SSL_CA_FILE is not set, so only the platform’s CAs are trusted'
        : `it is not signed by the CA in KAFKA_SSL_CA_FILE (${connection.tls.caFile})`;
    return new MessagingError(
      'KAFKA_REFUSED',
      `The TLS certificate of broker ${broker} is not trusted: ${ca} (${code})`,
      details,
    );
  }
  if (CERTIFICATE_DATES.has(code)) {
    return new MessagingError(
      'KAFKA_REFUSED',
      `The TLS certificate of broker ${broker} is out of date (${code}): renew it on the broker`,
      details,
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new MessagingError(
      'KAFKA_REFUSED',
      `The TLS certificate of broker ${broker} does not name that host: use an address the certificate lists in KAFKA_BROKERS, or set KAFKA_SSL_CHECK_SERVER_NAME=false (${facts.message})`,
      details,
    );
  }
  if (code === 'EPROTO' || /wrong version number|ssl3_|tls/i.test(code)) {
    return new MessagingError(
      'KAFKA_REFUSED',
      `The TLS handshake with broker ${broker} failed: check that KAFKA_SSL matches that listener (${facts.message})`,
      details,
    );
  }
  if (NOT_AUTHORIZED.test(facts.type ?? '')) {
    return new MessagingError(
      'KAFKA_REFUSED',
      `Kafka denied ${connection.sasl === undefined ? 'this client' : `user "${connection.sasl.username}"`} (${facts.type}): grant it the ACLs the README lists (${facts.message})`,
      details,
    );
  }
  const hint =
    connection.tls === undefined
      ? ' If the listener expects TLS or SASL, set KAFKA_SSL and KAFKA_SASL_MECHANISM.'
      : '';
  const unreachable =
    UNREACHABLE.has(code) ||
    /Connection (timeout|closed)|Closed connection|Failed to connect/i.test(
      facts.message,
    );
  return new MessagingError(
    'KAFKA_UNAVAILABLE',
    unreachable
      ? `No broker of KAFKA_BROKERS (${connection.brokers.join(', ')}) could be used: ${facts.message}${code === '' ? '' : ` (${code})`}.${hint}`
      : `Kafka at ${connection.brokers.join(', ')} failed: ${facts.message}`,
    details,
  );
}
