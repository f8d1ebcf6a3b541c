import { ConfigService } from '@nestjs/config';
import type { SharedEnvironment } from '@subtasks/config';
import { KAFKA_IDS } from '@subtasks/contracts';
import { DynamicModule, Module } from '@nestjs/common';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { KafkaHealthIndicator, KafkaHealthOptions } from './kafka.health';
import {
  SchemaRegistryHealthIndicator,
  SchemaRegistryHealthOptions,
} from './schema-registry.health';

export interface MessagingHealthOptions {
  kafka: KafkaHealthOptions;
  schemaRegistry: SchemaRegistryHealthOptions;
}

export interface MessagingHealthModuleOptions {
  inject?: (string | symbol | (abstract new (...args: never[]) => unknown))[];
  useFactory: (...deps: never[]) => MessagingHealthOptions;
}

const OPTIONS = Symbol('MESSAGING_HEALTH_OPTIONS');

type HealthEnvironment = Pick<
  SharedEnvironment,
  'KAFKA_BROKERS' | 'SCHEMA_REGISTRY_URL'
>;

/** Health indicators for the Kafka cluster and the Schema Registry. */
@Module({})
export class MessagingHealthModule {
  /** Kafka and registry addresses from the app's validated environment (ConfigService). */
  static fromEnvironment(): DynamicModule {
    return MessagingHealthModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<HealthEnvironment, true>) => ({
        kafka: {
          brokers: config.get('KAFKA_BROKERS', { infer: true }),
          clientId: KAFKA_IDS.clientId,
        },
        schemaRegistry: {
          url: config.get('SCHEMA_REGISTRY_URL', { infer: true }),
        },
      }),
    });
  }

  static forRootAsync(options: MessagingHealthModuleOptions): DynamicModule {
    return {
      module: MessagingHealthModule,
      imports: [TerminusModule],
      providers: [
        {
          provide: OPTIONS,
          inject: options.inject ?? [],
          useFactory: options.useFactory,
        },
        {
          provide: KafkaHealthIndicator,
          inject: [HealthIndicatorService, OPTIONS],
          useFactory: (
            health: HealthIndicatorService,
            o: MessagingHealthOptions,
          ) => new KafkaHealthIndicator(health, o.kafka),
        },
        {
          provide: SchemaRegistryHealthIndicator,
          inject: [HealthIndicatorService, OPTIONS],
          useFactory: (
            health: HealthIndicatorService,
            o: MessagingHealthOptions,
          ) => new SchemaRegistryHealthIndicator(health, o.schemaRegistry),
        },
      ],
      exports: [KafkaHealthIndicator, SchemaRegistryHealthIndicator],
    };
  }
}
