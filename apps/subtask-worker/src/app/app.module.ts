import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import {
  HealthModule,
  loggerParams,
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
} from '@subtasks/messaging';
import {
  PostgresHealthIndicator,
  SubtasksDbModule,
} from '@subtasks/subtasks-db';
import { LoggerModule } from 'nestjs-pino';
import {
  workerEnvironment,
  type WorkerEnvironment,
} from './config/worker-environment';
import { DeadLetterPublisher } from './dead-letters/dead-letter.publisher';
import { DeadLettersModule } from './dead-letters/dead-letters.module';
import { deadLetterOfUndecodable } from './dead-letters/undecodable';
import { UploadsModule } from './uploads/uploads.module';

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
    }),
    MessagingModule.forRootAsync({
      imports: [DeadLettersModule],
      inject: [ConfigService, DeadLetterPublisher],
      useFactory: (
        config: ConfigService<MessagingEnvironment, true>,
        deadLetters: DeadLetterPublisher,
      ) =>
        messagingOptionsFrom(messagingEnvironment(config), {
          groupId: KAFKA_IDS.workerGroupId,
          // The worker only emits; replies go through the microservice server.
          producerOnly: true,
          onUndecodable: (message) =>
            deadLetters.publish(deadLetterOfUndecodable(message)),
        }),
    }),
    HealthModule.register({
      imports: [MessagingHealthModule],
      dependencies: [
        PostgresHealthIndicator,
        KafkaHealthIndicator,
        SchemaRegistryHealthIndicator,
      ],
    }),
    UploadsModule,
  ],
})
export class AppModule {}
