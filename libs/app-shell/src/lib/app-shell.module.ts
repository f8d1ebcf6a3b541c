import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import {
  type DependencyHealth,
  FlushTracesModule,
  HealthModule,
  loggerParams,
  MetricsModule,
  parseEnvironment,
  secretValuesOf,
  type SharedEnvironment,
  withCarriedRequestIdInLogs,
} from '@subtasks/config';
import {
  KafkaHealthIndicator,
  MessagingHealthModule,
  MessagingModule,
  type MessagingModuleOptions,
  messagingEnvironment,
  messagingOptionsFrom,
  MessagingReadiness,
  ProcessingHealth,
  SchemaRegistryHealthIndicator,
} from '@subtasks/messaging';
import {
  PostgresHealthIndicator,
  SubtasksDbModule,
} from '@subtasks/subtasks-db';
import { LoggerModule } from 'nestjs-pino';
import type { z } from 'zod';

/** What an app adds to the messaging defaults: at least its consumer group. */
export type AppMessagingOptions = Pick<MessagingModuleOptions, 'groupId'> &
  Partial<MessagingModuleOptions>;

export interface AppShellOptions<E extends SharedEnvironment> {
  /** The service name on every log line. */
  readonly name: string;
  /** The app's variables; a bad one stops the boot naming it. */
  readonly environment: z.ZodType<E>;
  /** The app's messaging options, from its validated configuration. */
  readonly messaging: (config: ConfigService<E, true>) => AppMessagingOptions;
}

/**
 * What every app of the workspace runs on: validated configuration, the JSON logger that never
 * shows a secret, the database, messaging, `GET /health` (PostgreSQL, Kafka, the registry, the
 * consumers' join and message processing), `GET /metrics` and the trace flush on shutdown. An
 * app's root module imports this and lists only its own parts, which so stay the root: Nest runs
 * their shutdown hooks before these deeper modules close the database and Kafka.
 */
@Module({})
export class AppShellModule {
  static forRoot<E extends SharedEnvironment>(
    options: AppShellOptions<E>,
  ): DynamicModule {
    return {
      module: AppShellModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          validate: (env) => parseEnvironment(options.environment, env),
        }),
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<SharedEnvironment, true>) =>
            loggerParams(
              options.name,
              config.get('LOG_LEVEL', { infer: true }),
              secretValuesOf(process.env),
            ),
        }),
        SubtasksDbModule.forRootAsync({
          inject: [ConfigService],
          useDatabaseUrl: (config: ConfigService<SharedEnvironment, true>) =>
            config.get('DATABASE_URL', { infer: true }),
          useLimits: (config: ConfigService<SharedEnvironment, true>) => ({
            statementTimeoutMs: config.get('DB_STATEMENT_TIMEOUT_MS', {
              infer: true,
            }),
            connectTimeoutMs: config.get('DB_CONNECT_TIMEOUT_MS', {
              infer: true,
            }),
          }),
        }),
        MessagingModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<E, true>) => ({
            messageScope: withCarriedRequestIdInLogs,
            ...messagingOptionsFrom(
              messagingEnvironment(config),
              options.messaging(config),
            ),
          }),
        }),
        HealthModule.register({
          imports: [MessagingHealthModule],
          dependencies: HEALTH_DEPENDENCIES,
        }),
        MetricsModule,
        FlushTracesModule,
      ],
    };
  }
}

const HEALTH_DEPENDENCIES: Type<DependencyHealth>[] = [
  PostgresHealthIndicator,
  KafkaHealthIndicator,
  SchemaRegistryHealthIndicator,
  MessagingReadiness,
  ProcessingHealth,
];
