import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { MessagingHealthModule } from '@subtasks/messaging';
import type { ApiEnvironment } from '../config/api-environment';
import { HealthController } from './health.controller';

@Module({
  imports: [
    TerminusModule.forRoot({ errorLogStyle: 'json' }),
    MessagingHealthModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<ApiEnvironment, true>) => ({
        kafka: {
          brokers: config.get('KAFKA_BROKERS', { infer: true }),
          clientId: 'subtask-api',
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
