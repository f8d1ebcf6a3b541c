import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type KafkaConnection,
  kafkaConnectionOf,
  kafkaEnvironment,
  registryConnectionOf,
  registryEnvironment,
} from '@subtasks/config';
import { ContractRegistry, createKafka } from '@subtasks/messaging';
import { logLevel, type RetryOptions } from 'kafkajs';
import { Agent, fetch } from 'undici';
import { isPortAnswering } from '../net';
import {
  brokerPids,
  killBroker,
  startBroker,
  waitForBrokerInIsr,
} from './brokers';
import {
  clusterClientEnvironment,
  clusterRegistryToken,
} from './client-settings';
import {
  clusterDown,
  clusterStatus,
  clusterUp,
  type ClusterUpResult,
} from './cluster-stack';
import { profilePaths } from './profile-paths';
import { resolveClusterProfile } from './profile-store';
import { kafkaNodes, registryManagementPort, secureCluster } from './profile';
import { readSecrets } from './secrets';

/*
 * The secured three-broker cluster for real: `up` (unless it already runs, then it is left running),
 * clients built from client.env through the apps' own config path, the registry's authentication,
 * one broker killed and restarted, then `down` when this file started it.
 */

const selection = secureCluster;
const quiet = () => undefined;

describe('stack:up --brokers 3 --secure', () => {
  let up: ClusterUpResult;
  let env: Record<string, string>;
  let connection: KafkaConnection;
  const topic = `stack-secure-${randomUUID()}`;

  function kafka(
    purpose: string,
    override: Partial<KafkaConnection> = {},
    retry: RetryOptions = { retries: 2 },
  ) {
    return createKafka(
      { ...connection, ...override },
      { clientId: 'stack-int', purpose, retry, logLevel: logLevel.NOTHING },
    );
  }

  beforeAll(async () => {
    up = await clusterUp({ selection, log: quiet });
    env = clusterClientEnvironment(selection);
    connection = kafkaConnectionOf(kafkaEnvironment.parse(env));
  }, 240_000);

  afterAll(async () => {
    // Only what this file started; a cluster someone else runs stays up.
    if (up?.started.length > 0) await clusterDown({ selection, log: quiet });
  }, 120_000);

  it('writes client settings the apps accept, secrets included', () => {
    expect(connection.brokers).toEqual([
      '127.0.0.1:19092',
      '127.0.0.1:19093',
      '127.0.0.1:19094',
    ]);
    expect(connection.tls?.ca).toContain('BEGIN CERTIFICATE');
    expect(connection.sasl).toMatchObject({
      mechanism: 'scram-sha-512',
      username: 'app',
    });
    const registry = registryConnectionOf(registryEnvironment.parse(env));
    expect(registry.url).toBe('https://127.0.0.1:18443/apis/ccompat/v7');
    expect(registry.auth).toMatchObject({ kind: 'basic', username: 'app' });
  });

  it('produces with acks=all to a replication-factor-3 topic and consumes it back, as the app user', async () => {
    const admin = kafka('admin').admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [{ topic, numPartitions: 3, replicationFactor: 3 }],
        waitForLeaders: true,
      });
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      for (const partition of metadata.topics[0].partitions) {
        expect(partition.replicas).toHaveLength(3);
        expect(partition.isr).toHaveLength(3);
      }
    } finally {
      await admin.disconnect();
    }

    const values = Array.from({ length: 30 }, (_, index) => `message-${index}`);
    const producer = kafka('producer').producer({ idempotent: true });
    await producer.connect();
    try {
      await producer.send({
        topic,
        acks: -1,
        messages: values.map((value, index) => ({ key: `k${index}`, value })),
      });
    } finally {
      await producer.disconnect();
    }

    const consumer = kafka('consumer').consumer({
      groupId: `stack-int-${randomUUID()}`,
    });
    const received: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`received ${received.length} of 30`)),
          60_000,
        );
        void consumer.run({
          eachMessage: async ({ message }) => {
            received.push(message.value?.toString() ?? '');
            if (received.length === values.length) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
    } finally {
      await consumer.disconnect();
    }
    expect([...received].sort()).toEqual([...values].sort());
  }, 120_000);

  it('refuses a wrong SASL password with KafkaJSSASLAuthenticationError', async () => {
    const { sasl } = connection;
    if (sasl === undefined) throw new Error('client.env has no SASL settings');
    const admin = kafka('wrong-password', {
      sasl: { ...sasl, password: `${sasl.password}-wrong` },
    }).admin();

    const error = await admin.connect().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    await admin.disconnect();

    const names: string[] = [];
    for (
      let current = error as { name?: string; cause?: unknown } | undefined;
      current !== undefined && current !== null;
      current = current.cause as typeof current
    ) {
      names.push(String(current.name));
    }
    expect(names).toContain('KafkaJSSASLAuthenticationError');
  }, 60_000);

  describe('the registry (https only, authentication on)', () => {
    let dispatcher: Agent;
    let secrets: ReturnType<typeof readSecrets>;
    const subject = `stack-secure-${randomUUID()}-value`;
    const body = JSON.stringify({
      schema: JSON.stringify({
        type: 'record',
        name: 'Probe',
        fields: [{ name: 'id', type: 'string' }],
      }),
    });

    beforeAll(() => {
      dispatcher = new Agent({
        connect: { ca: readFileSync(env['SCHEMA_REGISTRY_CA_FILE'], 'utf8') },
      });
      secrets = readSecrets(profilePaths('secure-3').secretsFile);
    });

    afterAll(async () => {
      await dispatcher.close();
    });

    async function status(
      method: 'GET' | 'POST',
      path: string,
      authorization?: string,
    ): Promise<number> {
      const response = await fetch(`${env['SCHEMA_REGISTRY_URL']}${path}`, {
        method,
        dispatcher,
        headers: {
          'content-type': 'application/vnd.schemaregistry.v1+json',
          ...(authorization === undefined ? {} : { authorization }),
        },
        ...(method === 'POST' ? { body } : {}),
      });
      await response.arrayBuffer();
      return response.status;
    }

    const basic = (user: string, password: string) =>
      `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

    it('answers 401 without credentials or with a wrong password', async () => {
      expect(await status('GET', '/subjects')).toBe(401);
      expect(
        await status('GET', '/subjects', basic('app', 'not-the-password')),
      ).toBe(401);
      expect(await status('GET', '/subjects', 'Bearer not.a.token')).toBe(401);
    });

    it('lets the app register with basic auth and with the minted token', async () => {
      expect(
        await status(
          'POST',
          `/subjects/${subject}/versions`,
          basic('app', env['SCHEMA_REGISTRY_PASSWORD']),
        ),
      ).toBe(200);
      expect(
        await status(
          'POST',
          `/subjects/${subject}/versions`,
          `Bearer ${clusterRegistryToken(selection)}`,
        ),
      ).toBe(200);
    });

    it('answers 403 when the read-only user registers, 200 when it reads', async () => {
      const reader = basic('reader', secrets.registryReaderPassword);

      expect(
        await status('POST', `/subjects/${subject}/versions`, reader),
      ).toBe(403);
      expect(await status('GET', '/subjects', reader)).toBe(200);
    });

    it('is reachable through the apps’ ContractRegistry with the bearer token', async () => {
      const registry = new ContractRegistry({
        connection: {
          url: env['SCHEMA_REGISTRY_URL'],
          auth: { kind: 'bearer', token: clusterRegistryToken(selection) },
          ca: readFileSync(env['SCHEMA_REGISTRY_CA_FILE'], 'utf8'),
        },
        mode: 'register',
      });
      try {
        expect(await registry.ping()).toBeGreaterThan(0);
      } finally {
        await registry.close();
      }
    });

    it('serves no plain http on its port', async () => {
      const plain = await fetch(
        env['SCHEMA_REGISTRY_URL'].replace('https:', 'http:'),
      ).then(
        (response) => response.status,
        () => 'refused',
      );
      expect(plain).not.toBe(200);
    });
  });

  it('keeps every password and the token out of its logs and of `ps`', () => {
    const paths = profilePaths('secure-3');
    const secrets = Object.values(readSecrets(paths.secretsFile));
    const token = clusterRegistryToken(selection);
    const logs = readdirSync(paths.logs).map((name) =>
      readFileSync(join(paths.logs, name), 'utf8'),
    );
    const processes = execFileSync('ps', ['-ww', '-eo', 'args'], {
      encoding: 'utf8',
    });

    for (const text of [...logs, processes]) {
      for (const secret of [...secrets, token]) {
        expect(text.includes(secret)).toBe(false);
      }
    }
  });

  it('survives kill -9 of one broker: acks=all writes go on, and the node rejoins the ISR', async () => {
    // Until the controller fences the dead node (broker.session.timeout.ms, 9 s), its partitions
    // keep it as leader: the producer retries through that, as the apps' producers do.
    const producer = kafka(
      'failover',
      {},
      { retries: 30, initialRetryTime: 300, maxRetryTime: 2_000 },
    ).producer({ idempotent: true });
    await producer.connect();
    try {
      const before = brokerPids(selection);
      const killed = await killBroker(3, { selection });
      expect(killed).toBe(before.get(3));
      expect(brokerPids(selection).get(3)).toBeUndefined();

      await producer.send({
        topic,
        acks: -1,
        messages: [{ key: 'during', value: 'one broker down' }],
      });

      const pid = await startBroker(3, { selection });
      expect(brokerPids(selection).get(3)).toBe(pid);
      await waitForBrokerInIsr(3, { selection, topics: [topic] });
    } finally {
      await producer.disconnect();
    }
  }, 180_000);

  it('brings it down, leaving no process and no port, when it started it', async () => {
    if (up.started.length === 0) return;
    await clusterDown({ selection, log: quiet });

    const statuses = await clusterStatus({ selection });
    expect(
      statuses.filter((s) => s.managed).map((s) => [s.name, s.state]),
    ).toEqual([
      ['kafka-1', 'stopped'],
      ['kafka-2', 'stopped'],
      ['kafka-3', 'stopped'],
      ['registry', 'stopped'],
    ]);
    const { profile } = resolveClusterProfile(selection);
    const ports = [
      ...kafkaNodes(profile).flatMap((node) => [
        node.port,
        node.controllerPort,
      ]),
      profile.ports.registry,
      registryManagementPort(profile.ports),
    ];
    for (const port of ports) {
      expect(await isPortAnswering('127.0.0.1', port)).toBe(false);
    }
    up = { ...up, started: [] };
  }, 120_000);
});
