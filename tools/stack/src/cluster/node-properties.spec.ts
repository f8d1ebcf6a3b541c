import { parseProperties } from '../testing/parse-properties';
import {
  renderClusterNodeProperties,
  replicationDefaults,
} from './node-properties';
import { clusterProfile, kafkaNodes } from './profile';

const secure = clusterProfile({ brokers: 3, secure: true });
const nodes = kafkaNodes(secure);
const security = {
  keystoreFile: '/s/pki/kafka-2.keystore.pem',
  truststoreFile: '/s/pki/ca.pem',
  interBrokerUser: 'admin',
  interBrokerPassword: 'Secret123Secret123',
};

describe('renderClusterNodeProperties', () => {
  it('renders node 2 of the secured three-node cluster', () => {
    const properties = parseProperties(
      renderClusterNodeProperties({
        node: nodes[1],
        nodes,
        logDir: '/s/data/kafka-2',
        security,
      }),
    );

    expect(properties).toEqual({
      'process.roles': 'broker,controller',
      'node.id': '2',
      'controller.quorum.voters':
        '1@127.0.0.1:19192,2@127.0.0.1:19193,3@127.0.0.1:19194',
      listeners: 'SASL_SSL://127.0.0.1:19093,CONTROLLER://127.0.0.1:19193',
      'advertised.listeners': 'SASL_SSL://127.0.0.1:19093',
      'controller.listener.names': 'CONTROLLER',
      'inter.broker.listener.name': 'SASL_SSL',
      'listener.security.protocol.map': 'CONTROLLER:SSL,SASL_SSL:SASL_SSL',
      'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
      'sasl.mechanism.inter.broker.protocol': 'SCRAM-SHA-512',
      'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config':
        'org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="Secret123Secret123";',
      'listener.name.controller.ssl.client.auth': 'required',
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.location': '/s/pki/kafka-2.keystore.pem',
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': '/s/pki/ca.pem',
      'log.dirs': '/s/data/kafka-2',
      'default.replication.factor': '3',
      'min.insync.replicas': '2',
      'offsets.topic.replication.factor': '3',
      'transaction.state.log.replication.factor': '3',
      'transaction.state.log.min.isr': '2',
      'share.coordinator.state.topic.replication.factor': '3',
      'share.coordinator.state.topic.min.isr': '2',
      'group.initial.rebalance.delay.ms': '0',
      'num.partitions': '6',
    });
  });

  it('renders a plain cluster without any security setting', () => {
    const plain = clusterProfile({ brokers: 3, secure: false });
    const plainNodes = kafkaNodes(plain);
    const properties = parseProperties(
      renderClusterNodeProperties({
        node: plainNodes[0],
        nodes: plainNodes,
        logDir: '/p/data/kafka-1',
      }),
    );

    expect(properties).toMatchObject({
      listeners: 'PLAINTEXT://127.0.0.1:29092,CONTROLLER://127.0.0.1:29192',
      'inter.broker.listener.name': 'PLAINTEXT',
      'listener.security.protocol.map':
        'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    });
    expect(
      Object.keys(properties).filter((key) => /ssl|sasl/.test(key)),
    ).toEqual([]);
  });

  it('gives a single secure node a quorum of one', () => {
    const single = clusterProfile({ brokers: 1, secure: true });
    const [node] = kafkaNodes(single);
    const properties = parseProperties(
      renderClusterNodeProperties({
        node,
        nodes: [node],
        logDir: '/d',
        security,
      }),
    );

    expect(properties['controller.quorum.voters']).toBe('1@127.0.0.1:19192');
    expect(properties['default.replication.factor']).toBe('1');
    expect(properties['num.partitions']).toBe('3');
  });
});

describe('replicationDefaults', () => {
  it.each([
    [1, { replicationFactor: 1, minInsyncReplicas: 1, partitions: 3 }],
    [2, { replicationFactor: 2, minInsyncReplicas: 1, partitions: 6 }],
    [3, { replicationFactor: 3, minInsyncReplicas: 2, partitions: 6 }],
    [5, { replicationFactor: 3, minInsyncReplicas: 2, partitions: 6 }],
  ])('%i node(s): %j', (brokers, expected) => {
    expect(replicationDefaults(brokers)).toEqual(expected);
  });
});
