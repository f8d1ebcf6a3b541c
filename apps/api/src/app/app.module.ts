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
import { apiEnvironment, type ApiEnvironment } from './config/api-environment';
import { HttpEdgeModule } from './http-edge/http-edge.module';
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
    }),
    MessagingModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<MessagingEnvironment, true>) =>
        messagingOptionsFrom(messagingEnvironment(config), {
          groupId: KAFKA_IDS.apiGroupId,
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
    HttpEdgeModule,
    SubtasksModule,
  ],
})
export class AppModule {}
