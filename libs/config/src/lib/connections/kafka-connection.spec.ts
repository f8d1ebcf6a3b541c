import {
  createTestPki,
  refusalsOf,
  type TestPki,
} from '../../testing/test-pki';
import { parseEnvironment } from '../environment';
import { sharedEnvironment } from '../shared-environment';
import { kafkaConnectionOf } from './kafka-connection';

let pki: TestPki;
beforeAll(() => (pki = createTestPki()));
afterAll(() => pki.remove());

const SASL_PASSWORD = 'sasl-pass-never-shown';

function connectionOf(env: Record<string, string>) {
  return kafkaConnectionOf(parseEnvironment(sharedEnvironment, env));
}

function problemsOf(env: Record<string, string>): string[] {
  return refusalsOf(() => connectionOf(env));
}

describe('the Kafka connection', () => {
  it('is plaintext without authentication by default', () => {
    expect(connectionOf({})).toEqual({
      brokers: ['127.0.0.1:9092'],
      connectionTimeoutMs: 3_000,
      requestTimeoutMs: 10_000,
      sessionTimeoutMs: 6_000,
      heartbeatIntervalMs: 1_000,
    });
  });

  it('takes every broker, a client id and the timeouts', () => {
    expect(
      connectionOf({
        KAFKA_BROKERS: 'k1:9093, k2:9093,k3:9093',
        KAFKA_CLIENT_ID: 'subtask-eu',
        KAFKA_CONNECTION_TIMEOUT_MS: '5000',
        KAFKA_REQUEST_TIMEOUT_MS: '20000',
        KAFKA_SESSION_TIMEOUT_MS: '10000',
        KAFKA_HEARTBEAT_INTERVAL_MS: '3000',
      }),
    ).toEqual({
      brokers: ['k1:9093', 'k2:9093', 'k3:9093'],
      clientId: 'subtask-eu',
      connectionTimeoutMs: 5_000,
      requestTimeoutMs: 20_000,
      sessionTimeoutMs: 10_000,
      heartbeatIntervalMs: 3_000,
    });
  });

  it('reads the CA, the client certificate and its key for TLS', () => {
    const { tls } = connectionOf({
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: pki.caFile,
      KAFKA_SSL_CERT_FILE: pki.certFile,
      KAFKA_SSL_KEY_FILE: pki.encryptedKeyFile,
      KAFKA_SSL_KEY_PASSWORD: pki.keyPassword,
      KAFKA_SSL_CHECK_SERVER_NAME: 'false',
    });
    expect(tls?.ca).toContain('BEGIN CERTIFICATE');
    expect(tls?.cert).toContain('BEGIN CERTIFICATE');
    expect(tls?.key).toContain('ENCRYPTED');
    expect(tls?.keyPassword).toBe(pki.keyPassword);
    expect(tls?.checkServerName).toBe(false);
  });

  it('uses the platform CAs when TLS is on without a CA file', () => {
    expect(connectionOf({ KAFKA_SSL: 'true' }).tls).toEqual({
      checkServerName: true,
    });
  });

  it('takes SASL in any case of the mechanism name', () => {
    expect(
      connectionOf({
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_SASL_USERNAME: 'app',
        KAFKA_SASL_PASSWORD: SASL_PASSWORD,
      }).sasl,
    ).toEqual({
      mechanism: 'scram-sha-512',
      username: 'app',
      password: SASL_PASSWORD,
    });
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'a CA file that does not exist',
      { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem' },
      /^KAFKA_SSL_CA_FILE: cannot read \/nonexistent\/ca\.pem \(ENOENT\)/,
    ],
    [
      'a CA file that holds no certificate',
      { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: 'NOT_PEM' },
      /^KAFKA_SSL_CA_FILE: .*not-pem\.txt holds no PEM certificate/,
    ],
    [
      'TLS files while TLS is off',
      { KAFKA_SSL_CA_FILE: 'CA' },
      /^KAFKA_SSL_CA_FILE: is set, but KAFKA_SSL is not true/,
    ],
    [
      'a certificate without its key',
      { KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: 'CERT' },
      /^KAFKA_SSL_KEY_FILE: is required with KAFKA_SSL_CERT_FILE/,
    ],
    [
      'a key that is not the certificate’s',
      {
        KAFKA_SSL: 'true',
        KAFKA_SSL_CERT_FILE: 'CERT',
        KAFKA_SSL_KEY_FILE: 'OTHER_KEY',
      },
      /^KAFKA_SSL_KEY_FILE: is not the key of the certificate in KAFKA_SSL_CERT_FILE/,
    ],
    [
      'an encrypted key without its password',
      {
        KAFKA_SSL: 'true',
        KAFKA_SSL_CERT_FILE: 'CERT',
        KAFKA_SSL_KEY_FILE: 'ENCRYPTED_KEY',
      },
      /^KAFKA_SSL_KEY_PASSWORD: is required: .* is an encrypted key/,
    ],
    [
      'a wrong key password',
      {
        KAFKA_SSL: 'true',
        KAFKA_SSL_CERT_FILE: 'CERT',
        KAFKA_SSL_KEY_FILE: 'ENCRYPTED_KEY',
        KAFKA_SSL_KEY_PASSWORD: 'wrong-key-password',
      },
      /^KAFKA_SSL_KEY_PASSWORD: the password does not decrypt .* \(got "\*\*\*"\)$/,
    ],
    [
      'a mechanism Kafka clients here do not speak',
      { KAFKA_SASL_MECHANISM: 'gssapi' },
      /^KAFKA_SASL_MECHANISM: must be one of plain, scram-sha-256, scram-sha-512 \(got "gssapi"\)/,
    ],
    [
      'a mechanism without its password',
      { KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'app' },
      /^KAFKA_SASL_PASSWORD: is required with KAFKA_SASL_MECHANISM=scram-sha-256/,
    ],
    [
      'credentials without a mechanism',
      { KAFKA_SASL_USERNAME: 'app', KAFKA_SASL_PASSWORD: SASL_PASSWORD },
      /^KAFKA_SASL_PASSWORD: is set, but KAFKA_SASL_MECHANISM is not .* \(got "\*\*\*"\)$/,
    ],
    [
      'PLAIN without TLS in production',
      {
        NODE_ENV: 'production',
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: 'app',
        KAFKA_SASL_PASSWORD: SASL_PASSWORD,
      },
      /^KAFKA_SASL_MECHANISM: plain sends the password as clear text/,
    ],
    [
      'a heartbeat too slow for the session',
      { KAFKA_SESSION_TIMEOUT_MS: '6000', KAFKA_HEARTBEAT_INTERVAL_MS: '3000' },
      /^KAFKA_HEARTBEAT_INTERVAL_MS: must be at most a third of KAFKA_SESSION_TIMEOUT_MS \(6000 ms\)/,
    ],
    [
      'a broker list that is not host:port',
      { KAFKA_BROKERS: 'kafka' },
      /^KAFKA_BROKERS: must be a comma-separated list of host:port/,
    ],
  ])('refuses %s, naming the variable', (_, given, expected) => {
    const files: Record<string, string> = {
      CA: pki.caFile,
      CERT: pki.certFile,
      OTHER_KEY: pki.otherKeyFile,
      ENCRYPTED_KEY: pki.encryptedKeyFile,
      NOT_PEM: pki.notPemFile,
    };
    const env = Object.fromEntries(
      Object.entries(given).map(([name, value]) => [
        name,
        files[value] ?? value,
      ]),
    );
    const problems = problemsOf(env);
    expect(problems.some((problem) => expected.test(problem))).toBe(true);
    expect(problems.join('\n')).not.toContain(SASL_PASSWORD);
    expect(problems.join('\n')).not.toContain('wrong-key-password');
  });
});
