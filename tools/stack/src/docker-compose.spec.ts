import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadStackConfig, stackDefaults } from './config';
import { findRepoRoot } from './paths';

interface ComposeService {
  image: string;
  ports?: string[];
  environment?: Record<string, string | number>;
}

interface ComposeFile {
  'x-app-env': Record<string, string>;
  services: Record<string, ComposeService>;
  configs: Record<string, { content: string }>;
}

const compose = parse(
  readFileSync(join(findRepoRoot(), 'docker-compose.yml'), 'utf8'),
) as ComposeFile;
const { kafka, registry, postgres } = compose.services;

/** "127.0.0.1:9092:9092" → { host: '127.0.0.1', published: 9092, target: 9092 } */
function publishedPorts(service: ComposeService) {
  return (service.ports ?? []).map((mapping) => {
    const [host, published, target] = mapping.split(':');
    return { host, published: Number(published), target: Number(target) };
  });
}

describe('docker-compose.yml', () => {
  it('gives the apps the same variables, with the same values, as the scripts', () => {
    expect(compose['x-app-env']).toEqual({
      [stackDefaults.env.kafkaBrokers]: stackDefaults.kafkaBrokers,
      [stackDefaults.env.schemaRegistryUrl]: stackDefaults.schemaRegistryUrl,
      [stackDefaults.env.databaseUrl]: stackDefaults.databaseUrl,
    });
  });

  it('publishes every server on the scripts’ ports, on loopback only', () => {
    expect(publishedPorts(kafka)).toEqual([
      { host: '127.0.0.1', published: stackDefaults.ports.kafka, target: 9092 },
    ]);
    expect(
      publishedPorts(registry).map(({ host, published }) => ({
        host,
        published,
      })),
    ).toEqual([
      { host: '127.0.0.1', published: stackDefaults.ports.registry },
      { host: '127.0.0.1', published: stackDefaults.ports.registryManagement },
    ]);
    expect(publishedPorts(postgres)).toEqual([
      {
        host: '127.0.0.1',
        published: stackDefaults.ports.postgres,
        target: 5432,
      },
    ]);
  });

  it('runs Kafka in KRaft combined mode, advertising the address KAFKA_BROKERS names', () => {
    const env = kafka.environment ?? {};

    expect(kafka.image).toMatch(/^apache\/kafka:4\./);
    expect(env['KAFKA_PROCESS_ROLES']).toBe('broker,controller');
    expect(String(env['KAFKA_ADVERTISED_LISTENERS']).split(',')).toContain(
      `PLAINTEXT://${stackDefaults.kafkaBrokers}`,
    );
  });

  it('runs the registry version the scripts run, storing in PostgreSQL with global BACKWARD', () => {
    const env = registry.environment ?? {};

    expect(registry.image).toBe(
      `apicurio/apicurio-registry:${stackDefaults.versions.registry}`,
    );
    expect(env['APICURIO_RULES_GLOBAL_COMPATIBILITY']).toBe('BACKWARD');
    expect(env['APICURIO_STORAGE_KIND']).toBe('sql');
    expect(env['APICURIO_STORAGE_SQL_KIND']).toBe('postgresql');
    expect(env['APICURIO_DATASOURCE_URL']).toBe(
      `jdbc:postgresql://postgres:5432/${stackDefaults.registryDatabase}`,
    );
  });

  it('creates the app and registry databases in PostgreSQL 15 with trust auth', () => {
    const env = postgres.environment ?? {};
    const { postgres: defaults } = loadStackConfig({});

    expect(postgres.image).toBe('postgres:15');
    expect(env['POSTGRES_HOST_AUTH_METHOD']).toBe('trust');
    expect(env['POSTGRES_USER']).toBe(defaults.user);
    expect(env['POSTGRES_DB']).toBe(defaults.database);
    expect(compose.configs['create-registry-database'].content).toContain(
      `CREATE DATABASE ${stackDefaults.registryDatabase};`,
    );
  });
});
