import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import {
  KafkaHealthIndicator,
  SchemaRegistryHealthIndicator,
} from '@subtasks/messaging';
import { PostgresHealthIndicator } from '@subtasks/subtasks-db';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly postgres: PostgresHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly schemaRegistry: SchemaRegistryHealthIndicator,
  ) {}

  /** 200 when PostgreSQL, Kafka and the Schema Registry all answer; 503 naming the one that does not. */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.postgres.isHealthy(),
      () => this.kafka.isHealthy(),
      () => this.schemaRegistry.isHealthy(),
    ]);
  }
}
