import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import {
  FlushTracesModule,
  HealthModule,
  loggerParams,
  MetricsModule,
  parseEnvironment,
  secretValuesOf,
} from '@subtasks/config';
import { KAFKA_IDS } from '@subtasks/contracts';
import {
  KafkaHealthIndicator,
  MessagingHealthModule,
  MessagingModule,
  SchemaRegistryHealthIndicator,
  type MessagingEnvironment,
  messagingEnvironment,
  messagingOptionsFrom,
  MessagingReadiness,
  ProcessingHealth,
} from '@subtasks/messaging';
import {
  databaseFailurePolicy,
  PostgresHealthIndicator,
  SubtasksDbModule,
} from '@subtasks/subtasks-db';
import { LoggerModule } from 'nestjs-pino';
import { apiEnvironment, type ApiEnvironment } from './config/api-environment';
import { HttpEdgeModule } from './http-edge/http-edge.module';
import { HttpErrorsModule } from './http-errors/http-errors.module';
import { SubtasksModule } from './subtasks/subtasks.module';

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      validate: (env) => parseEnvironment(apiEnvironment, env),
    }),
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<ApiEnvironment, true>) =>
        loggerParams(
          'api',
          config.get('LOG_LEVEL', { infer: true }),
          secretValuesOf(process.env),
        ),
    }),
    SubtasksDbModule.forRootAsync({
      inject: [ConfigService],
      useDatabaseUrl: (config: ConfigService<ApiEnvironment, true>) =>
        config.get('DATABASE_URL', { infer: true }),
      useLimits: (config: ConfigService<ApiEnvironment, true>) => ({
        statementTimeoutMs: config.get('DB_STATEMENT_TIMEOUT_MS', {
          infer: true,
        }),
        connectTimeoutMs: config.get('DB_CONNECT_TIMEOUT_MS', { infer: true }),
      }),
    }),
    MessagingModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (
        config: ConfigService<MessagingEnvironment & ApiEnvironment, true>,
      ) =>
        messagingOptionsFrom(messagingEnvironment(config), {
          groupId: KAFKA_IDS.apiGroupId,
          // The reply consumer's group (Nest's `-client`) and, when on, the completion event's.
          lagGroups: [
            `${KAFKA_IDS.apiGroupId}-client`,
            ...(config.get('CONSUME_COMPLETION_EVENTS', { infer: true })
              ? [KAFKA_IDS.apiGroupId]
              : []),
          ],
          // HTTP is served while the reply consumer joins; health says when it is ready.
          connectInBackground: true,
          // The completion consumer waits out a database outage instead of dropping events.
          failurePolicy: { classify: databaseFailurePolicy },
        }),
    }),
    HealthModule.register({
      imports: [MessagingHealthModule],
      dependencies: [
        PostgresHealthIndicator,
        KafkaHealthIndicator,
        SchemaRegistryHealthIndicator,
        MessagingReadiness,
        ProcessingHealth,
      ],
    }),
    MetricsModule,
    FlushTracesModule,
    HttpEdgeModule,
    // Before SubtasksModule, whose error filter must be tried before this catch-all.
    HttpErrorsModule,
    SubtasksModule,
  ],
})
export class AppModule {}
