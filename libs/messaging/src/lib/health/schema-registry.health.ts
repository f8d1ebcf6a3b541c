import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

export interface SchemaRegistryHealthOptions {
  /** Confluent-compatible API base, e.g. http://127.0.0.1:8081/apis/ccompat/v7 */
  url: string;
  timeoutMs?: number;
}

/** Up when the registry answers the Confluent API's subject list. */
@Injectable()
export class SchemaRegistryHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly options: SchemaRegistryHealthOptions,
  ) {}

  async isHealthy(key = 'schemaRegistry') {
    const indicator = this.health.check(key);
    try {
      const response = await fetch(`${this.options.url}/subjects`, {
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 3_000),
      });
      if (!response.ok) {
        return indicator.down({ message: `HTTP ${response.status}` });
      }
      const subjects = (await response.json()) as unknown[];
      return indicator.up({ subjects: subjects.length });
    } catch (error) {
      return indicator.down({ message: String((error as Error).message) });
    }
  }
}
