import type { ConfigService } from '@nestjs/config';
import {
  kafkaConnectionOf,
  kafkaEnvironment,
  registryConnectionOf,
  registryEnvironment,
  type SharedEnvironment,
} from '@subtasks/config';
import { KAFKA_IDS } from '@subtasks/contracts';
import type { MessagingModuleOptions } from './messaging.module';

const MESSAGING_VARIABLES = [
  'NODE_ENV',
  ...Object.keys(kafkaEnvironment.shape),
  ...Object.keys(registryEnvironment.shape),
] as const;

export type MessagingEnvironment = Pick<
  SharedEnvironment,
  | 'NODE_ENV'
  | keyof typeof kafkaEnvironment.shape
  | keyof typeof registryEnvironment.shape
>;

/**
 * The messaging settings an app derives from its validated environment. Production looks up the ids
 * of the schemas it was built with and refuses to start when one is not registered (schemas are
 * registered by the pipeline, never by producers); development and test register on start.
 */
export function messagingOptionsFrom(
  env: MessagingEnvironment,
  overrides: Pick<MessagingModuleOptions, 'groupId'> &
    Partial<MessagingModuleOptions>,
): MessagingModuleOptions {
  const kafka = kafkaConnectionOf(env);
  return {
    kafka,
    clientId: KAFKA_IDS.clientId,
    registry: registryConnectionOf(env),
    mode: env.NODE_ENV === 'production' ? 'verify' : 'register',
    requestTimeoutMs: kafka.requestTimeoutMs,
    ...overrides,
  };
}

/** The messaging part of an app's validated environment, read through its ConfigService. */
export function messagingEnvironment(
  config: ConfigService<MessagingEnvironment, true>,
): MessagingEnvironment {
  return Object.fromEntries(
    MESSAGING_VARIABLES.map((name) => [
      name,
      config.get(name as keyof MessagingEnvironment, { infer: true }),
    ]),
  ) as MessagingEnvironment;
}
