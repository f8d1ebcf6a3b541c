import type { ConfigService } from '@nestjs/config';
import type { SharedEnvironment } from '@subtasks/config';
import { KAFKA_IDS } from '@subtasks/contracts';
import type { MessagingModuleOptions } from './messaging.module';

export type MessagingEnvironment = Pick<
  SharedEnvironment,
  | 'KAFKA_BROKERS'
  | 'SCHEMA_REGISTRY_URL'
  | 'NODE_ENV'
  | 'KAFKA_REQUEST_TIMEOUT_MS'
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
  return {
    brokers: env.KAFKA_BROKERS,
    clientId: KAFKA_IDS.clientId,
    registryUrl: env.SCHEMA_REGISTRY_URL,
    mode: env.NODE_ENV === 'production' ? 'verify' : 'register',
    requestTimeoutMs: env.KAFKA_REQUEST_TIMEOUT_MS,
    ...overrides,
  };
}

/** The messaging part of an app's validated environment, read through its ConfigService. */
export function messagingEnvironment(
  config: ConfigService<MessagingEnvironment, true>,
): MessagingEnvironment {
  return {
    KAFKA_BROKERS: config.get('KAFKA_BROKERS', { infer: true }),
    SCHEMA_REGISTRY_URL: config.get('SCHEMA_REGISTRY_URL', { infer: true }),
    NODE_ENV: config.get('NODE_ENV', { infer: true }),
    KAFKA_REQUEST_TIMEOUT_MS: config.get('KAFKA_REQUEST_TIMEOUT_MS', {
      infer: true,
    }),
  };
}
