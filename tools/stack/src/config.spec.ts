import {
  loadPostgresConfig,
  loadStackConfig,
  registryDatabaseOf,
  StackConfigError,
  stackDefaults,
} from './config';

describe('loadStackConfig', () => {
  it('uses the defaults when no variable is set', () => {
    const config = loadStackConfig({});

    expect(config.kafka).toEqual({
      brokers: ['127.0.0.1:9092'],
      listener: { host: '127.0.0.1', port: 9092 },
      controllerPort: 9093,
    });
    expect(config.registry).toEqual({
      url: 'http://127.0.0.1:8081/apis/ccompat/v7',
      listener: { host: '127.0.0.1', port: 8081 },
      managementPort: 9081,
    });
    expect(config.postgres).toEqual({
      url: 'postgresql://postgres@127.0.0.1:5432/subtasks',
      explicit: false,
      host: '127.0.0.1',
      port: 5432,
      user: 'postgres',
      password: '',
      database: 'subtasks',
      registryDatabase: 'subtasks_registry',
    });
  });

  it('derives the default ports from the default addresses', () => {
    const config = loadStackConfig({});

    expect(stackDefaults.ports).toEqual({
      kafka: config.kafka.listener.port,
      kafkaController: config.kafka.controllerPort,
      registry: config.registry.listener.port,
      registryManagement: config.registry.managementPort,
      postgres: config.postgres.port,
    });
  });

  it('gives the values as clients use them', () => {
    const config = loadStackConfig({ KAFKA_BROKERS: 'a:1,b:2' });

    expect(config.kafkaBrokers).toEqual(['a:1', 'b:2']);
    expect(config.schemaRegistryUrl).toBe(stackDefaults.schemaRegistryUrl);
    expect(config.databaseUrl).toBe(stackDefaults.databaseUrl);
  });

  it('treats an empty variable as unset', () => {
    expect(loadStackConfig({ KAFKA_BROKERS: ' ' }).kafka.brokers).toEqual([
      '127.0.0.1:9092',
    ]);
  });

  it('takes every address from its variable', () => {
    const config = loadStackConfig({
      KAFKA_BROKERS: 'localhost:19092, localhost:19094',
      SCHEMA_REGISTRY_URL: 'http://localhost:18081/apis/ccompat/v7/',
      DATABASE_URL: 'postgres://app:s%40cret@db.local:15432/other',
    });

    expect(config.kafka).toEqual({
      brokers: ['localhost:19092', 'localhost:19094'],
      listener: { host: 'localhost', port: 19092 },
      controllerPort: 19093,
    });
    expect(config.registry).toEqual({
      url: 'http://localhost:18081/apis/ccompat/v7',
      listener: { host: 'localhost', port: 18081 },
      managementPort: 19081,
    });
    expect(config.postgres).toMatchObject({
      host: 'db.local',
      port: 15432,
      user: 'app',
      password: 's@cret',
      database: 'other',
    });
  });

  it.each([
    ['KAFKA_BROKERS', 'localhost'],
    ['KAFKA_BROKERS', '127.0.0.1:notaport'],
    ['KAFKA_BROKERS', '127.0.0.1:9092,broken'],
    ['KAFKA_BROKERS', '127.0.0.1:70000'],
    ['SCHEMA_REGISTRY_URL', 'not a url'],
    ['SCHEMA_REGISTRY_URL', 'https://127.0.0.1:8081/apis/ccompat/v7'],
    ['SCHEMA_REGISTRY_URL', 'http://127.0.0.1:8081'],
    ['DATABASE_URL', 'mysql://root@127.0.0.1:3306/subtasks'],
    ['DATABASE_URL', 'postgresql://postgres@127.0.0.1:5432'],
    ['DATABASE_URL', 'postgresql://postgres@127.0.0.1:5432/subtasks_registry'],
    [
      'DATABASE_URL',
      'postgresql://postgres@127.0.0.1:5432/b_registry_secure_3',
    ],
    ['DATABASE_URL', `postgresql://postgres@127.0.0.1:5432/${'d'.repeat(46)}`],
    ['STACK_DEFAULT_DATABASE_URL', 'http://127.0.0.1:5432/subtasks'],
  ])('names %s in the error for %j', (name, value) => {
    const load = () => loadStackConfig({ [name]: value });

    expect(load).toThrow(StackConfigError);
    expect(load).toThrow(
      new RegExp(
        `${name}: .*\\(got "${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\)`,
      ),
    );
  });

  it('never shows the password of a bad DATABASE_URL', () => {
    expect(() =>
      loadStackConfig({
        DATABASE_URL: 'postgresql://app:db-pass-never-shown@127.0.0.1:5432',
      }),
    ).toThrow(/\(got "postgresql:\/\/app:\*\*\*@127\.0\.0\.1:5432"\)/);
  });

  it('lists every bad variable at once, and only those', () => {
    let message = '';
    try {
      loadStackConfig({ KAFKA_BROKERS: 'x', DATABASE_URL: 'nope' });
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message).toContain('KAFKA_BROKERS:');
    expect(message).toContain('DATABASE_URL:');
    expect(message).not.toContain('SCHEMA_REGISTRY_URL');
  });
});

describe('the PostgreSQL the stack uses', () => {
  it("is DATABASE_URL's server, as it is, when DATABASE_URL is set", () => {
    const postgres = loadPostgresConfig({
      DATABASE_URL: 'postgresql://app@db.local:6432/orders',
      STACK_DEFAULT_DATABASE_URL: 'postgresql://postgres@127.0.0.1:15432/other',
    });

    expect(postgres).toMatchObject({
      explicit: true,
      host: 'db.local',
      port: 6432,
      database: 'orders',
    });
  });

  it('is looked for at STACK_DEFAULT_DATABASE_URL when DATABASE_URL is unset (tests point it at a free port)', () => {
    const postgres = loadPostgresConfig({
      DATABASE_URL: ' ',
      STACK_DEFAULT_DATABASE_URL:
        'postgresql://postgres@127.0.0.1:15432/stack_b',
    });

    expect(postgres).toMatchObject({
      explicit: false,
      url: 'postgresql://postgres@127.0.0.1:15432/stack_b',
      port: 15432,
      database: 'stack_b',
      registryDatabase: 'stack_b_registry',
    });
    expect(
      loadStackConfig({ STACK_DEFAULT_DATABASE_URL: postgres.url }).databaseUrl,
    ).toBe(postgres.url);
  });

  it("names the registry's database after the app's, so two stacks on one server never share it", () => {
    expect(registryDatabaseOf('subtasks')).toBe(stackDefaults.registryDatabase);
    expect(
      loadPostgresConfig({
        DATABASE_URL: 'postgresql://postgres@127.0.0.1/checkout_b',
      }).registryDatabase,
    ).toBe('checkout_b_registry');
  });
});
