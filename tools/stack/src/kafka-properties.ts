export interface KafkaNodeSettings {
  nodeId: number;
  host: string;
  brokerPort: number;
  controllerPort: number;
  logDir: string;
}

/** node.properties for one node running broker and controller together (KRaft combined mode). */
export function renderKafkaProperties(settings: KafkaNodeSettings): string {
  const { nodeId, host, brokerPort, controllerPort, logDir } = settings;
  const properties: [string, string | number][] = [
    ['process.roles', 'broker,controller'],
    ['node.id', nodeId],
    ['controller.quorum.voters', `${nodeId}@${host}:${controllerPort}`],
    [
      'listeners',
      `PLAINTEXT://${host}:${brokerPort},CONTROLLER://${host}:${controllerPort}`,
    ],
    ['advertised.listeners', `PLAINTEXT://${host}:${brokerPort}`],
    ['controller.listener.names', 'CONTROLLER'],
    ['inter.broker.listener.name', 'PLAINTEXT'],
    [
      'listener.security.protocol.map',
      'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    ],
    ['log.dirs', logDir],
    // A single node cannot hold more replicas than one.
    ['offsets.topic.replication.factor', 1],
    ['transaction.state.log.replication.factor', 1],
    ['transaction.state.log.min.isr', 1],
    ['share.coordinator.state.topic.replication.factor', 1],
    ['share.coordinator.state.topic.min.isr', 1],
    ['group.initial.rebalance.delay.ms', 0],
    ['num.partitions', 3],
  ];
  return renderPropertiesFile(
    properties,
    'tools/stack/src/kafka-properties.ts',
  );
}

/** A .properties file the stack rewrites on every start, saying where to change it instead. */
export function renderPropertiesFile(
  properties: readonly (readonly [string, string | number])[],
  source: string,
): string {
  const lines = properties.map(
    ([key, value]) => `${key}=${escapePropertyValue(String(value))}`,
  );
  return `# Written by tools/stack on every start; edit ${source} instead.\n${lines.join('\n')}\n`;
}

/** Java .properties treats backslashes as escapes (Windows paths) and leading spaces as insignificant. */
function escapePropertyValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/^ /, '\\ ');
}
