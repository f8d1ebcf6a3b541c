import {
  isSecretVariable,
  redactUrl,
  scrubSecrets,
  secretValuesOf,
  shownValue,
} from './secrets';

describe('secrets', () => {
  it.each([
    'KAFKA_SASL_PASSWORD',
    'KAFKA_SSL_KEY_PASSWORD',
    'SCHEMA_REGISTRY_PASSWORD',
    'SCHEMA_REGISTRY_TOKEN',
    'API_TOKENS',
    'SOME_SECRET',
    'OTEL_EXPORTER_OTLP_HEADERS',
    'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
  ])('%s is a secret', (name) => expect(isSecretVariable(name)).toBe(true));

  it.each(['KAFKA_SASL_USERNAME', 'KAFKA_SSL_KEY_FILE', 'DATABASE_URL'])(
    '%s is not a secret by name',
    (name) => expect(isSecretVariable(name)).toBe(false),
  );

  it.each([
    [
      'postgresql://app:s3cr%40t@db:5432/subtasks?sslmode=require',
      'postgresql://app:***@db:5432/subtasks?sslmode=require',
    ],
    ['postgres://app:@db/x', 'postgres://app:***@db/x'],
    ['postgresql://app@db/x', 'postgresql://app@db/x'],
    ['https://u:p@registry/apis', 'https://u:***@registry/apis'],
    ['not a url', 'not a url'],
  ])('redacts the password of %s', (url, shown) =>
    expect(redactUrl(url)).toBe(shown),
  );

  it('never shows a secret value, and hides the password of a URL value', () => {
    expect(shownValue('KAFKA_SASL_PASSWORD', 'hunter2')).toBe('***');
    expect(shownValue('DATABASE_URL', 'postgresql://a:hunter2@h/d')).toBe(
      'postgresql://a:***@h/d',
    );
    expect(shownValue('KAFKA_BROKERS', 'k:9092')).toBe('k:9092');
  });
});

describe('scrubbing known secrets', () => {
  it('hides the values of an OTLP headers list, whole and one by one', () => {
    const secrets = secretValuesOf({
      OTEL_EXPORTER_OTLP_HEADERS:
        'authorization=Bearer abc123token,x-tenant=acme-corp',
    });

    expect(
      scrubSecrets('export refused: Bearer abc123token for acme-corp', secrets),
    ).toBe('export refused: *** for ***');
  });

  it('finds secret variables, list entries and URL passwords', () => {
    const secrets = secretValuesOf({
      KAFKA_SASL_PASSWORD: 'sasl-secret',
      API_TOKENS: 'token-one-abc, token-two-def',
      DATABASE_URL: 'postgresql://app:p%40ss-word@db/x',
      KAFKA_BROKERS: 'k:9092',
    });
    expect(secrets).toEqual(
      expect.arrayContaining([
        'sasl-secret',
        'token-one-abc',
        'token-two-def',
        'p%40ss-word',
        'p@ss-word',
      ]),
    );
    expect(secrets).not.toContain('k:9092');
  });

  it('replaces every occurrence', () => {
    expect(
      scrubSecrets('auth sasl-secret failed; again sasl-secret', [
        'sasl-secret',
      ]),
    ).toBe('auth *** failed; again ***');
  });
});
