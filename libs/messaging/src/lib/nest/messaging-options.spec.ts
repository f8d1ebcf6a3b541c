import { parseEnvironment, sharedEnvironment } from '@subtasks/config';
import { messagingOptionsFrom } from './messaging-options';

const env = (given: Record<string, string> = {}) =>
  parseEnvironment(sharedEnvironment, given);

describe('messagingOptionsFrom', () => {
  it('verifies registered schemas in production instead of registering them', () => {
    expect(
      messagingOptionsFrom(env({ NODE_ENV: 'production' }), { groupId: 'g' })
        .mode,
    ).toBe('verify');
  });

  it('registers on start in development and test', () => {
    expect(messagingOptionsFrom(env(), { groupId: 'g' }).mode).toBe('register');
    expect(
      messagingOptionsFrom(env({ NODE_ENV: 'test' }), { groupId: 'g' }).mode,
    ).toBe('register');
  });

  it('builds the Kafka and registry connections from the environment', () => {
    expect(
      messagingOptionsFrom(
        env({
          KAFKA_BROKERS: 'k1:9093,k2:9093',
          KAFKA_SASL_MECHANISM: 'scram-sha-512',
          KAFKA_SASL_USERNAME: 'app',
          KAFKA_SASL_PASSWORD: 'app-secret',
          SCHEMA_REGISTRY_TOKEN: 'registry-token',
        }),
        { groupId: 'subtask-api' },
      ),
    ).toMatchObject({
      clientId: 'subtask',
      groupId: 'subtask-api',
      kafka: {
        brokers: ['k1:9093', 'k2:9093'],
        sasl: { mechanism: 'scram-sha-512', username: 'app' },
      },
      registry: { auth: { kind: 'bearer', token: 'registry-token' } },
      requestTimeoutMs: 10_000,
    });
  });
});
