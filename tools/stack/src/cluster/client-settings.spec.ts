import {
  clientEnvironment,
  parseEnvFile,
  printableSettings,
  renderEnvFile,
} from './client-settings';
import { clusterProfile } from './profile';

const secrets = {
  kafkaAdminPassword: 'AdminPassword0000',
  kafkaAppPassword: 'KafkaAppPassword00',
  registryAppPassword: 'RegistryAppPassword',
  registryReaderPassword: 'ReaderPassword0000',
};

describe('clientEnvironment', () => {
  it('gives the apps every setting of the secured cluster, as the app user', () => {
    const entries = clientEnvironment(
      clusterProfile({ brokers: 3, secure: true }),
      {
        caFile: '/r/.stack/secure-3/pki/ca.pem',
        secrets,
      },
    );

    expect(Object.fromEntries(entries)).toEqual({
      KAFKA_BROKERS: '127.0.0.1:19092,127.0.0.1:19093,127.0.0.1:19094',
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: '/r/.stack/secure-3/pki/ca.pem',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'app',
      KAFKA_SASL_PASSWORD: 'KafkaAppPassword00',
      SCHEMA_REGISTRY_URL: 'https://127.0.0.1:18443/apis/ccompat/v7',
      SCHEMA_REGISTRY_USERNAME: 'app',
      SCHEMA_REGISTRY_PASSWORD: 'RegistryAppPassword',
      SCHEMA_REGISTRY_CA_FILE: '/r/.stack/secure-3/pki/ca.pem',
    });
  });

  it('gives a plain cluster its addresses only', () => {
    expect(
      clientEnvironment(
        clusterProfile({ brokers: 3, secure: false }),
        undefined,
      ),
    ).toEqual([
      ['KAFKA_BROKERS', '127.0.0.1:29092,127.0.0.1:29093,127.0.0.1:29094'],
      ['SCHEMA_REGISTRY_URL', 'http://127.0.0.1:28081/apis/ccompat/v7'],
    ]);
  });

  it('prints everything but the passwords', () => {
    const printed = printableSettings(
      clientEnvironment(clusterProfile({ brokers: 3, secure: true }), {
        caFile: '/ca.pem',
        secrets,
      }),
    ).join('\n');

    for (const secret of Object.values(secrets)) {
      expect(printed).not.toContain(secret);
    }
    expect(printed).toContain('KAFKA_SASL_USERNAME=app');
  });
});

describe('renderEnvFile / parseEnvFile', () => {
  it('round-trips values a shell would split or expand, quoting only those', () => {
    const entries: [string, string][] = [
      ['PLAIN', '127.0.0.1:1,127.0.0.1:2'],
      ['SPACED', '/home/my user/.stack/ca.pem'],
      ['QUOTED', "it's $HOME"],
      ['EMPTY', ''],
    ];
    const text = renderEnvFile(entries, 'first line\nsecond line');

    expect(text).toBe(
      [
        '# first line',
        '# second line',
        'PLAIN=127.0.0.1:1,127.0.0.1:2',
        "SPACED='/home/my user/.stack/ca.pem'",
        `QUOTED='it'\\''s $HOME'`,
        'EMPTY=',
        '',
      ].join('\n'),
    );
    expect(parseEnvFile(text)).toEqual(Object.fromEntries(entries));
  });
});
