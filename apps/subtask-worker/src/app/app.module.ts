import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppShellModule } from '@subtasks/app-shell';
import { type KafkaConnection, Metrics } from '@subtasks/config';
import { KAFKA_IDS } from '@subtasks/contracts';
import {
  ContractSerde,
  KAFKA_CONNECTION,
  OutboxRelay,
} from '@subtasks/messaging';
import {
  databaseFailurePolicy,
  SubtasksRepository,
} from '@subtasks/subtasks-db';
import {
  workerEnvironment,
  type WorkerEnvironment,
} from './config/worker-environment';
import { CommitFault } from './uploads/commit-fault';
import {
  UploadSubtaskResultHandler,
  announcementEncoder,
} from './uploads/upload-subtask-result.handler';

/** Starts the outbox relay once the app is up; Nest stops it (after a last flush) on shutdown. */
class OutboxRelayStarter implements OnApplicationBootstrap {
  constructor(private readonly relay: OutboxRelay) {}
  onApplicationBootstrap(): void {
    this.relay.start();
  }
}

@Module({
  imports: [
    AppShellModule.forRoot({
      name: 'subtask-worker',
      environment: workerEnvironment,
      messaging: (config) => ({
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
  ],
  // The worker's own parts sit in the root module, whose shutdown hooks Nest runs first: the relay's
  // last flush happens after the consumer stopped and before the database (a deeper module) closes.
  controllers: [UploadSubtaskResultHandler],
  providers: [
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
