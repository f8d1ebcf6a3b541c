import { renderKafkaProperties } from './kafka-properties';

function parseProperties(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const separator = line.indexOf('=');
        return [line.slice(0, separator), line.slice(separator + 1)];
      }),
  );
}

describe('renderKafkaProperties', () => {
  it('renders a single combined-mode node on the given ports', () => {
    const properties = parseProperties(
      renderKafkaProperties({
        nodeId: 1,
        host: '127.0.0.1',
        brokerPort: 9092,
        controllerPort: 9093,
        logDir: '/repo/.stack/data/kafka/log',
      }),
    );

    expect(properties).toEqual({
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.voters': '1@127.0.0.1:9093',
      listeners: 'PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:9092',
      'controller.listener.names': 'CONTROLLER',
      'inter.broker.listener.name': 'PLAINTEXT',
      'listener.security.protocol.map':
        'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      'log.dirs': '/repo/.stack/data/kafka/log',
      'offsets.topic.replication.factor': '1',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'share.coordinator.state.topic.replication.factor': '1',
      'share.coordinator.state.topic.min.isr': '1',
      'group.initial.rebalance.delay.ms': '0',
      'num.partitions': '3',
    });
  });

  it('follows other addresses', () => {
    const text = renderKafkaProperties({
      nodeId: 1,
      host: 'localhost',
      brokerPort: 19092,
      controllerPort: 19093,
      logDir: '/data',
    });

    expect(text).toContain(
      'listeners=PLAINTEXT://localhost:19092,CONTROLLER://localhost:19093\n',
    );
    expect(text).toContain('controller.quorum.voters=1@localhost:19093\n');
  });

  it('escapes backslashes, which .properties treats as escapes', () => {
    const text = renderKafkaProperties({
      nodeId: 1,
      host: '127.0.0.1',
      brokerPort: 9092,
      controllerPort: 9093,
      logDir: 'C:\\stack\\kafka',
    });

    expect(text).toContain('log.dirs=C:\\\\stack\\\\kafka\n');
  });
});
