import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  type KafkaConnection,
  kafkaConnectionFromEnvironment,
  parseEnvironment,
  type RegistryConnection,
  registryConnectionFromEnvironment,
  type TopicPolicy,
  topicPolicyEnvironment,
  topicPolicyOf,
} from '@subtasks/config';
import type { BenchOptions } from './options';

export const workspaceRoot = path.resolve(__dirname, '..', '..', '..');

/** What every phase of one run shares. */
export interface BenchContext {
  readonly options: BenchOptions;
  /** Prefix of every topic and consumer group of the run: nothing collides with the apps or another run. */
  readonly runId: string;
  readonly kafka: KafkaConnection;
  readonly registry: RegistryConnection;
  /** The apps' topic settings, so the bench's own topics have the apps' partition count. */
  readonly topicPolicy: TopicPolicy;
  readonly log: (line: string) => void;
}

export function benchContext(
  options: BenchOptions,
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): BenchContext {
  return {
    options,
    runId: `bench-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`,
    kafka: kafkaConnectionFromEnvironment(env),
    registry: registryConnectionFromEnvironment(env),
    topicPolicy: topicPolicyOf(parseEnvironment(topicPolicyEnvironment, env)),
    log,
  };
}
