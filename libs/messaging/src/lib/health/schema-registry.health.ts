import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { describeCause } from '../errors/messaging-error';
import { ContractRegistry } from '../registry/contract-registry';

/** Up when the registry answers the Confluent API's subject list with the app's credentials. */
@Injectable()
export class SchemaRegistryHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly registry: ContractRegistry,
  ) {}

  async isHealthy(key = 'schemaRegistry') {
    const indicator = this.health.check(key);
    try {
      return indicator.up({ subjects: await this.registry.ping() });
    } catch (error) {
      return indicator.down({ message: describeCause(error) });
    }
  }
}
