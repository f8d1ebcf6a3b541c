import type { KafkaConnection } from '@subtasks/config';
import * as kafkajs from 'kafkajs';
import { explainKafkaFailure } from './kafka-failure';

// kafkajs's typings leave out the constructors' arguments; these are the real ones (src/errors.js).
type Constructor<A extends unknown[]> = new (...args: A) => Error;
const KafkaJSSASLAuthenticationError =
  kafkajs.KafkaJSSASLAuthenticationError as unknown as Constructor<[string]>;
const KafkaJSConnectionError =
  kafkajs.KafkaJSConnectionError as unknown as Constructor<
    [string, { broker: string; code: string }]
  >;
const KafkaJSNumberOfRetriesExceeded =
  kafkajs.KafkaJSNumberOfRetriesExceeded as unknown as Constructor<
    [Error, { retryCount: number; retryTime: number }]
  >;
const KafkaJSProtocolError =
  kafkajs.KafkaJSProtocolError as unknown as Constructor<
    [{ message: string; type: string; code: number; retriable: boolean }]
  >;

const connection: KafkaConnection = {
  brokers: ['k1:9094', 'k2:9094'],
  tls: { caFile: '/etc/kafka/ca.pem', ca: 'PEM', checkServerName: true },
  sasl: {
    mechanism: 'scram-sha-512',
    username: 'app',
    password: 'pw-never-shown',
  },
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 10_000,
};

function retried(cause: Error): Error {
  return new KafkaJSNumberOfRetriesExceeded(cause, {
    retryCount: 5,
    retryTime: 100,
  });
}

describe('explainKafkaFailure', () => {
  it('names the SASL variables when the credentials are refused', () => {
    const error = explainKafkaFailure(
      new KafkaJSSASLAuthenticationError(
        'SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
      ),
      connection,
    );
    expect(error.code).toBe('KAFKA_REFUSED');
    expect(error.message).toMatch(
      /^Kafka refused to authenticate user "app" \(scram-sha-512\): check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/,
    );
    expect(error.message).not.toContain('pw-never-shown');
  });

  it('names the CA file when the broker certificate is not trusted, through the retries', () => {
    const error = explainKafkaFailure(
      retried(
        new KafkaJSConnectionError(
          'Connection error: self-signed certificate in certificate chain',
          { broker: 'k1:9094', code: 'SELF_SIGNED_CERT_IN_CHAIN' },
        ),
      ),
      connection,
    );
    expect(error.code).toBe('KAFKA_REFUSED');
    expect(error.message).toBe(
      'The TLS certificate of broker k1:9094 is not trusted: it is not signed by the CA in KAFKA_SSL_CA_FILE (/etc/kafka/ca.pem) (SELF_SIGNED_CERT_IN_CHAIN)',
    );
  });

  it('says the name check failed, and how to fix it', () => {
    const error = explainKafkaFailure(
      new KafkaJSConnectionError(
        'Connection error: Hostname/IP does not match',
        {
          broker: 'k1:9094',
          code: 'ERR_TLS_CERT_ALTNAME_INVALID',
        },
      ),
      connection,
    );
    expect(error.message).toMatch(
      /does not name that host: .* KAFKA_SSL_CHECK_SERVER_NAME=false/,
    );
  });

  it('names the brokers when none answers, and is retriable', () => {
    const error = explainKafkaFailure(
      retried(
        new KafkaJSConnectionError('Connection error: connect ECONNREFUSED', {
          broker: 'k1:9094',
          code: 'ECONNREFUSED',
        }),
      ),
      { ...connection, tls: undefined },
    );
    expect(error.code).toBe('KAFKA_UNAVAILABLE');
    expect(error.retriable).toBe(true);
    expect(error.message).toMatch(
      /^No broker of KAFKA_BROKERS \(k1:9094, k2:9094\) could be used: .*ECONNREFUSED.*set KAFKA_SSL and KAFKA_SASL_MECHANISM/,
    );
  });

  it('points at ACLs when the cluster denies an operation', () => {
    const error = explainKafkaFailure(
      new KafkaJSProtocolError({
        message:
          'Not authorized to access topics: [Topic authorization failed]',
        type: 'TOPIC_AUTHORIZATION_FAILED',
        code: 29,
        retriable: false,
      }),
      connection,
    );
    expect(error.message).toMatch(
      /^Kafka denied user "app" \(TOPIC_AUTHORIZATION_FAILED\)/,
    );
  });
});
