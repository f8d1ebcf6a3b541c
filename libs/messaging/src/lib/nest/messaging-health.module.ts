import { Module } from '@nestjs/common';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import type { KafkaConnection } from '@subtasks/config';
import { KAFKA_CONNECTION, MESSAGING_OPTIONS } from './messaging.tokens';
import type { MessagingModuleOptions } from './messaging.module';
import { ContractRegistry } from '../registry/contract-registry';
import { KafkaHealthIndicator } from '../health/kafka.health';
import { SchemaRegistryHealthIndicator } from '../health/schema-registry.health';

/**
 * Health indicators for the Kafka cluster and the Schema Registry, over the same connection, client
 * id and registry client as the app's messaging (MessagingModule must be imported by the app).
 */
@Module({
  imports: [TerminusModule],
  providers: [
    {
      provide: KafkaHealthIndicator,
      inject: [HealthIndicatorService, KAFKA_CONNECTION, MESSAGING_OPTIONS],
      useFactory: (
        health: HealthIndicatorService,
        connection: KafkaConnection,
        options: MessagingModuleOptions,
      ) =>
        new KafkaHealthIndicator(health, {
          connection,
          clientId: options.clientId,
        }),
    },
    {
      provide: SchemaRegistryHealthIndicator,
      inject: [HealthIndicatorService, ContractRegistry],
      useFactory: (
        health: HealthIndicatorService,
        registry: ContractRegistry,
      ) => new SchemaRegistryHealthIndicator(health, registry),
    },
  ],
  exports: [KafkaHealthIndicator, SchemaRegistryHealthIndicator],
  // ProcessingHealth comes from MessagingModule (global).
})
export class MessagingHealthModule {}
