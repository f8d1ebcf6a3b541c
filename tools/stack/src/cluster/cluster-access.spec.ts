import { clusterAccess } from './cluster-access';
import { clusterProfile } from './profile';

const material = {
  caFile: '/p/ca.pem',
  caPem: '-----BEGIN CERTIFICATE-----\n…',
  secrets: {
    kafkaAdminPassword: 'AdminPassword0000',
    kafkaAppPassword: 'KafkaAppPassword00',
    registryAppPassword: 'RegistryAppPassword',
    registryReaderPassword: 'ReaderPassword0000',
  },
};

describe('clusterAccess', () => {
  it('reaches a secure profile’s brokers as their admin user over verified TLS, the registry as the app', () => {
    const access = clusterAccess(
      clusterProfile({ brokers: 3, secure: true }),
      material,
    );

    expect(access.kafka(['127.0.0.1:19093'], 4_000)).toEqual({
      brokers: ['127.0.0.1:19093'],
      tls: { ca: material.caPem, caFile: '/p/ca.pem', checkServerName: true },
      sasl: {
        mechanism: 'scram-sha-512',
        username: 'admin',
        password: 'AdminPassword0000',
      },
      connectionTimeoutMs: 3_000,
      requestTimeoutMs: 4_000,
    });
    expect(access.registry).toEqual({
      url: 'https://127.0.0.1:18443/apis/ccompat/v7',
      auth: { kind: 'basic', username: 'app', password: 'RegistryAppPassword' },
      ca: material.caPem,
    });
  });

  it('reaches a plain profile without credentials', () => {
    const access = clusterAccess(
      clusterProfile({ brokers: 3, secure: false }),
      undefined,
    );

    expect(access.kafka(['127.0.0.1:29092'])).toEqual({
      brokers: ['127.0.0.1:29092'],
      connectionTimeoutMs: 3_000,
      requestTimeoutMs: 5_000,
    });
    expect(access.registry).toEqual({
      url: 'http://127.0.0.1:28081/apis/ccompat/v7',
    });
  });
});
