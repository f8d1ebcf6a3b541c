import { messagingOptionsFrom } from './messaging-options';

const env = {
  KAFKA_BROKERS: ['127.0.0.1:9092'],
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
  KAFKA_REQUEST_TIMEOUT_MS: 10_000,
};

describe('messagingOptionsFrom', () => {
  it('verifies registered schemas in production instead of registering them', () => {
    expect(
      messagingOptionsFrom({ ...env, NODE_ENV: 'production' }, { groupId: 'g' })
        .mode,
    ).toBe('verify');
  });

  it('registers on start in development and test', () => {
    expect(
      messagingOptionsFrom(
        { ...env, NODE_ENV: 'development' },
        { groupId: 'g' },
      ).mode,
    ).toBe('register');
    expect(
      messagingOptionsFrom({ ...env, NODE_ENV: 'test' }, { groupId: 'g' }).mode,
    ).toBe('register');
  });

  it('uses the catalogue client id and the given group', () => {
    expect(
      messagingOptionsFrom(
        { ...env, NODE_ENV: 'development' },
        { groupId: 'subtask-api' },
      ),
    ).toMatchObject({
      clientId: 'subtask',
      groupId: 'subtask-api',
      brokers: ['127.0.0.1:9092'],
    });
  });
});
