import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createKafka } from '@subtasks/messaging';
import { logLevel } from 'kafkajs';
import type { KafkaConfig } from './config';
import type { JavaRuntime } from './java';
import { renderKafkaProperties } from './kafka-properties';
import type { StackPaths } from './paths';
import { runCommand } from './run-command';

function classpath(libDir: string): string {
  return join(libDir, '*');
}

async function ensureClusterId(
  paths: StackPaths,
  java: JavaRuntime,
  libDir: string,
): Promise<string> {
  if (existsSync(paths.kafkaClusterIdFile)) {
    return readFileSync(paths.kafkaClusterIdFile, 'utf8').trim();
  }
  const output = await runCommand(
    java.path,
    ['-cp', classpath(libDir), 'kafka.tools.StorageTool', 'random-uuid'],
    { what: 'Generating the Kafka cluster id' },
  );
  const clusterId = output.trim().split('\n').pop()?.trim() ?? '';
  if (!/^[A-Za-z0-9_-]{22}$/.test(clusterId)) {
    throw new Error(
      `Unexpected cluster id from kafka.tools.StorageTool random-uuid: "${output.trim()}"`,
    );
  }
  writeFileSync(paths.kafkaClusterIdFile, `${clusterId}\n`);
  return clusterId;
}

export interface KafkaLaunch {
  command: string;
  args: string[];
  /** True when this call formatted the storage (a fresh cluster). */
  formatted: boolean;
}

/** Writes node.properties, formats the storage the first time only, and returns how to start the node. */
export async function prepareKafka(
  paths: StackPaths,
  config: KafkaConfig,
  java: JavaRuntime,
  libDir: string,
): Promise<KafkaLaunch> {
  writeFileSync(
    paths.kafkaProperties,
    renderKafkaProperties({
      nodeId: 1,
      host: config.listener.host,
      brokerPort: config.listener.port,
      controllerPort: config.controllerPort,
      logDir: paths.kafkaLogDir,
    }),
  );
  const formatted = !existsSync(join(paths.kafkaLogDir, 'meta.properties'));
  if (formatted) {
    const clusterId = await ensureClusterId(paths, java, libDir);
    await runCommand(
      java.path,
      [
        '-cp',
        classpath(libDir),
        'kafka.tools.StorageTool',
        'format',
        '-t',
        clusterId,
        '-c',
        paths.kafkaProperties,
      ],
      { what: 'Formatting the Kafka storage' },
    );
  }
  return {
    command: java.path,
    args: [
      '-Xmx512m',
      '-cp',
      classpath(libDir),
      'kafka.Kafka',
      paths.kafkaProperties,
    ],
    formatted,
  };
}

/** One real request: cluster metadata through the same client library the apps use. */
export async function describeKafkaCluster(
  config: KafkaConfig,
): Promise<{ clusterId: string }> {
  const admin = createKafka(
    {
      brokers: [`${config.listener.host}:${config.listener.port}`],
      connectionTimeoutMs: 2_000,
      requestTimeoutMs: 5_000,
    },
    {
      clientId: 'stack-readiness',
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    },
  ).admin();
  try {
    await admin.connect();
    const { clusterId } = await admin.describeCluster();
    return { clusterId };
  } finally {
    await admin.disconnect();
  }
}
