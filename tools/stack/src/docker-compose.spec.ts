import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { composeVariables } from './cluster/compose-env';
import { renderClusterNodeProperties } from './cluster/node-properties';
import { clusterProfile, kafkaNodes, secureCluster } from './cluster/profile';
import { clusterUsers } from './cluster/secrets';
import { certificateRequests } from './cluster/security-material';
import { loadStackConfig, stackDefaults } from './config';
import { findRepoRoot } from './paths';
import { parseProperties } from './testing/parse-properties';

interface ComposeService {
  image: string;
  ports?: string[];
  environment?: Record<string, string | number>;
  profiles?: string[];
  command?: string[];
  volumes?: string[];
  configs?: { source: string; target: string }[];
}

interface ComposeFile {
  'x-app-env': Record<string, string>;
  services: Record<string, ComposeService>;
  configs: Record<string, { content: string }>;
}

// Compose resolves YAML merge keys (`<<: *cluster-node`); the yaml library only when asked.
const compose = parse(
  readFileSync(join(findRepoRoot(), 'docker-compose.yml'), 'utf8'),
  { merge: true },
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

describe('docker-compose.yml, profile cluster (the secured three-broker cluster)', () => {
  const profile = clusterProfile(secureCluster);
  const nodes = kafkaNodes(profile);
  const serviceOf = (nodeId: number) => compose.services[`kafka-${nodeId}`];
  const pki = '/etc/kafka/stack/pki';
  /** What differs by design: inside Docker, 127.0.0.1 is each container's own address. */
  const dockerAddressing = [
    'controller.quorum.voters',
    'listeners',
    'advertised.listeners',
    'inter.broker.listener.name',
    'listener.security.protocol.map',
    'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config',
    'listener.name.internal.scram-sha-512.sasl.jaas.config',
  ];

  function propertiesOf(nodeId: number) {
    const source = serviceOf(nodeId).configs?.find(
      (config) => config.target === '/etc/kafka/stack/node.properties',
    )?.source;
    return parseProperties(compose.configs[source ?? ''].content);
  }

  function scriptsPropertiesOf(nodeId: number) {
    return parseProperties(
      renderClusterNodeProperties({
        node: nodes[nodeId - 1],
        nodes,
        logDir: '/var/lib/kafka/data',
        security: {
          keystoreFile: `${pki}/kafka-${nodeId}.keystore.pem`,
          truststoreFile: `${pki}/ca.pem`,
          interBrokerUser: clusterUsers.kafkaAdmin,
          interBrokerPassword: `\${${composeVariables.adminPassword}}`,
        },
      }),
    );
  }

  it('runs one apache/kafka 4 container per node of the scripts’ cluster, only with --profile cluster', () => {
    expect(
      Object.entries(compose.services)
        .filter(([, service]) => service.profiles?.includes('cluster'))
        .map(([name]) => name),
    ).toEqual(nodes.map(({ nodeId }) => `kafka-${nodeId}`));
    for (const { nodeId } of nodes) {
      expect(serviceOf(nodeId).image).toMatch(/^apache\/kafka:4\./);
    }
    expect(kafka.profiles).toBeUndefined();
  });

  it('publishes each node’s client port where the scripts listen, on loopback only', () => {
    for (const node of nodes) {
      expect(publishedPorts(serviceOf(node.nodeId))).toEqual([
        { host: '127.0.0.1', published: node.port, target: node.port },
      ]);
    }
  });

  it.each(nodes.map(({ nodeId }) => nodeId))(
    'gives node %i the scripts’ properties, apart from Docker’s addresses',
    (nodeId) => {
      const docker = propertiesOf(nodeId);
      const scripts = scriptsPropertiesOf(nodeId);
      const node = nodes[nodeId - 1];

      for (const [key, value] of Object.entries(scripts)) {
        if (!dockerAddressing.includes(key))
          expect([key, docker[key]]).toEqual([key, value]);
      }
      expect(
        Object.keys(docker).filter(
          (key) => !(key in scripts) && !dockerAddressing.includes(key),
        ),
      ).toEqual([]);
      expect(docker['controller.quorum.voters']).toBe(
        nodes
          .map(
            (voter) =>
              `${voter.nodeId}@kafka-${voter.nodeId}:${voter.controllerPort}`,
          )
          .join(','),
      );
      expect(docker['listeners'].split(',')).toEqual(
        expect.arrayContaining([
          `SASL_SSL://0.0.0.0:${node.port}`,
          `CONTROLLER://0.0.0.0:${node.controllerPort}`,
        ]),
      );
      expect(docker['advertised.listeners'].split(',')).toContain(
        scripts['advertised.listeners'],
      );
      expect(docker['listener.security.protocol.map'].split(',')).toEqual(
        expect.arrayContaining([
          ...scripts['listener.security.protocol.map'].split(','),
          `${docker['inter.broker.listener.name']}:SASL_SSL`,
        ]),
      );
      // The brokers authenticate to each other as the scripts' admin user, on the inter-broker listener.
      expect(
        docker[
          `listener.name.${docker['inter.broker.listener.name'].toLowerCase()}.scram-sha-512.sasl.jaas.config`
        ],
      ).toBe(scripts['listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config']);
    },
  );

  it('uses the stack’s certificates and the passwords compose.env holds, creating the scripts’ users', () => {
    const keystores = certificateRequests(profile)
      .filter(({ name }) => name.startsWith('kafka-'))
      .map(({ name }) => `${pki}/${name}.keystore.pem`);

    expect(
      nodes.map(({ nodeId }) => propertiesOf(nodeId)['ssl.keystore.location']),
    ).toEqual(keystores);
    for (const { nodeId } of nodes) {
      const service = serviceOf(nodeId);
      expect(service.volumes).toEqual([
        expect.stringMatching(
          new RegExp(
            `^\\$\\{${composeVariables.pkiDir}:\\?[^}]*\\}:${pki}:ro$`,
          ),
        ),
        expect.stringMatching(
          new RegExp(
            `^\\$\\{${composeVariables.dataDir}:\\?[^}]*\\}/kafka-${nodeId}:/var/lib/kafka/data$`,
          ),
        ),
      ]);
      expect(Object.keys(service.environment ?? {})).toEqual(
        expect.arrayContaining([
          composeVariables.adminPassword,
          composeVariables.appPassword,
        ]),
      );
      const command = (service.command ?? []).join(' ');
      expect(command).toContain(
        `SCRAM-SHA-512=[name=${clusterUsers.kafkaAdmin},password=$$${composeVariables.adminPassword}]`,
      );
      expect(command).toContain(
        `SCRAM-SHA-512=[name=${clusterUsers.app},password=$$${composeVariables.appPassword}]`,
      );
    }
  });
});
