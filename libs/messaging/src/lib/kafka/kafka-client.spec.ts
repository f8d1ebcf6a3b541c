import type { KafkaConnection } from '@subtasks/config';
import type { ConnectionOptions } from 'node:tls';
import { kafkaClientConfig } from './kafka-client';

const secured: KafkaConnection = {
  brokers: ['k1:9094', 'k2:9094'],
  tls: {
    ca: 'CA PEM',
    caFile: '/etc/ca.pem',
    cert: 'CERT PEM',
    key: 'KEY PEM',
    keyPassword: 'key-pass',
    checkServerName: false,
  },
  sasl: { mechanism: 'scram-sha-512', username: 'app', password: 'secret' },
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 10_000,
};

describe('kafkaClientConfig', () => {
  it('carries brokers, TLS, SASL and timeouts into the kafkajs settings', () => {
    const config = kafkaClientConfig(secured, { clientId: 'subtask' });
    expect(config).toMatchObject({
      clientId: 'subtask',
      brokers: ['k1:9094', 'k2:9094'],
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      sasl: { mechanism: 'scram-sha-512', username: 'app', password: 'secret' },
      ssl: {
        rejectUnauthorized: true,
        ca: ['CA PEM'],
        cert: 'CERT PEM',
        key: 'KEY PEM',
        passphrase: 'key-pass',
      },
    });
  });

  it('skips only the name check when asked, never the chain', () => {
    const ssl = kafkaClientConfig(secured, { clientId: 'x' })
      .ssl as ConnectionOptions;
    expect(ssl.rejectUnauthorized).toBe(true);
    expect(ssl.checkServerIdentity?.('k1', {} as never)).toBeUndefined();
    const checked = kafkaClientConfig(
      { ...secured, tls: { checkServerName: true } },
      { clientId: 'x' },
    ).ssl as ConnectionOptions;
    expect(checked.checkServerIdentity).toBeUndefined();
  });

  it('gives every client its own SASL object (kafkajs binds its authenticator to it)', () => {
    const first = kafkaClientConfig(secured, { clientId: 'a' });
    const second = kafkaClientConfig(secured, { clientId: 'a' });
    expect(first.sasl).toEqual(second.sasl);
    expect(first.sasl).not.toBe(second.sasl);
    expect(first.brokers).not.toBe(second.brokers);
  });

  it('names clients by purpose, and lets KAFKA_CLIENT_ID replace the catalogue id', () => {
    expect(
      kafkaClientConfig(secured, { clientId: 'subtask', purpose: 'health' })
        .clientId,
    ).toBe('subtask-health');
    expect(
      kafkaClientConfig(
        { ...secured, clientId: 'team-a' },
        { clientId: 'subtask', purpose: 'health' },
      ).clientId,
    ).toBe('team-a-health');
  });

  it('is plaintext without TLS or SASL, and probes may shorten the timeouts', () => {
    const config = kafkaClientConfig(
      {
        brokers: ['k:9092'],
        connectionTimeoutMs: 3_000,
        requestTimeoutMs: 10_000,
      },
      { clientId: 'x', timeoutMs: 1_000 },
    );
    expect(config.ssl).toBeUndefined();
    expect(config.sasl).toBeUndefined();
    expect([config.connectionTimeout, config.requestTimeout]).toEqual([
      1_000, 1_000,
    ]);
  });
});
