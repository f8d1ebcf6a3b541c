import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { MessagingHealthModule } from '@subtasks/messaging';
import type { WorkerEnvironment } from '../config/worker-environment';
import { HealthController } from './health.controller';

@Module({
  imports: [
    TerminusModule.forRoot({ errorLogStyle: 'json' }),
    MessagingHealthModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<WorkerEnvironment, true>) => ({
        kafka: {
          brokers: config.get('KAFKA_BROKERS', { infer: true }),
          clientId: 'subtask-worker',
        },
        schemaRegistry: {
          url: config.get('SCHEMA_REGISTRY_URL', { infer: true }),
        },
      }),
    }),
  ],
  controllers: [HealthController],
})
export class HealthModule {}
