import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import {
  FlushTracesModule,
  HealthModule,
  loggerParams,
  Metrics,
  MetricsModule,
  parseEnvironment,
  secretValuesOf,
} from '@subtasks/config';
import { KAFKA_IDS } from '@subtasks/contracts';
import {
  ContractSerde,
  KAFKA_CONNECTION,
  KafkaHealthIndicator,
  MessagingHealthModule,
  MessagingModule,
  type MessagingEnvironment,
  messagingEnvironment,
  messagingOptionsFrom,
  OutboxRelay,
  ProcessingHealth,
  SchemaRegistryHealthIndicator,
} from '@subtasks/messaging';
import type { KafkaConnection } from '@subtasks/config';
import {
  databaseFailurePolicy,
  PostgresHealthIndicator,
  SubtasksDbModule,
  SubtasksRepository,
} from '@subtasks/subtasks-db';
import { LoggerModule } from 'nestjs-pino';
import {
  workerEnvironment,
  type WorkerEnvironment,
} from './config/worker-environment';
import { CommitFault } from './uploads/commit-fault';
import { UploadSubtaskResultHandler } from './uploads/upload-subtask-result.handler';
import { announcementEncoder } from './uploads/announcement';
import { UploadsService } from './uploads/uploads.service';

/** Starts the outbox relay once the app is up; Nest stops it (after a last flush) on shutdown. */
class OutboxRelayStarter implements OnApplicationBootstrap {
  constructor(private readonly relay: OutboxRelay) {}
  onApplicationBootstrap(): void {
    this.relay.start();
  }
}

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      validate: (env) => parseEnvironment(workerEnvironment, env),
    }),
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<WorkerEnvironment, true>) =>
        loggerParams(
          'subtask-worker',
          config.get('LOG_LEVEL', { infer: true }),
          secretValuesOf(process.env),
        ),
    }),
    SubtasksDbModule.forRootAsync({
      inject: [ConfigService],
      useDatabaseUrl: (config: ConfigService<WorkerEnvironment, true>) =>
        config.get('DATABASE_URL', { infer: true }),
      useLimits: (config: ConfigService<WorkerEnvironment, true>) => ({
        statementTimeoutMs: config.get('DB_STATEMENT_TIMEOUT_MS', {
          infer: true,
        }),
        connectTimeoutMs: config.get('DB_CONNECT_TIMEOUT_MS', { infer: true }),
      }),
    }),
    MessagingModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (
        config: ConfigService<MessagingEnvironment & WorkerEnvironment, true>,
      ) =>
        messagingOptionsFrom(messagingEnvironment(config), {
          groupId: KAFKA_IDS.workerGroupId,
          lagGroups: [KAFKA_IDS.workerGroupId],
          // The worker only emits; replies go through the microservice server.
          producerOnly: true,
          failurePolicy: {
            classify: databaseFailurePolicy,
            baseDelayMs: config.get('WORKER_RETRY_BASE_MS', { infer: true }),
            unknownAttempts: config.get('WORKER_RETRY_ATTEMPTS', {
              infer: true,
            }),
          },
        }),
    }),
    MetricsModule,
    FlushTracesModule,
    HealthModule.register({
      imports: [MessagingHealthModule],
      dependencies: [
        PostgresHealthIndicator,
        KafkaHealthIndicator,
        SchemaRegistryHealthIndicator,
        ProcessingHealth,
      ],
    }),
  ],
  // The worker's own parts sit in the root module, whose shutdown hooks Nest runs first: the relay's
  // last flush happens after the consumer stopped and before the database (a deeper module) closes.
  controllers: [UploadSubtaskResultHandler],
  providers: [
    UploadsService,
    CommitFault,
    {
      provide: OutboxRelay,
      inject: [
        KAFKA_CONNECTION,
        SubtasksRepository,
        ConfigService,
        ContractSerde,
        Metrics,
      ],
      useFactory: (
        connection: KafkaConnection,
        repository: SubtasksRepository,
        config: ConfigService<WorkerEnvironment, true>,
        serde: ContractSerde,
        metrics: Metrics,
      ) =>
        new OutboxRelay({
          connection,
          clientId: KAFKA_IDS.clientId,
          store: repository,
          pollIntervalMs: config.get('OUTBOX_POLL_INTERVAL_MS', {
            infer: true,
          }),
          batchSize: config.get('OUTBOX_BATCH_SIZE', { infer: true }),
          retentionMs: config.get('OUTBOX_RETENTION_MS', { infer: true }),
          encodePayload: announcementEncoder(serde),
          metrics,
        }),
    },
    {
      provide: OutboxRelayStarter,
      inject: [OutboxRelay],
      useFactory: (relay: OutboxRelay) => new OutboxRelayStarter(relay),
    },
  ],
})
export class AppModule {}
