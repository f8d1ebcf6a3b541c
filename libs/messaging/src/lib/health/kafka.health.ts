import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Admin, Kafka, logLevel } from 'kafkajs';

export interface KafkaHealthOptions {
  brokers: string[];
  clientId: string;
  timeoutMs?: number;
}

/** Up when the cluster answers a metadata request; reports the brokers it sees. */
@Injectable()
export class KafkaHealthIndicator implements OnModuleDestroy {
  private readonly admin: Admin;
  private connected?: Promise<void>;

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly options: KafkaHealthOptions,
  ) {
    const timeout = options.timeoutMs ?? 3_000;
    this.admin = new Kafka({
      clientId: `${options.clientId}-health`,
      brokers: options.brokers,
      connectionTimeout: timeout,
      requestTimeout: timeout,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    }).admin();
  }

  async isHealthy(key = 'kafka') {
    const indicator = this.health.check(key);
    try {
      this.connected ??= this.admin.connect();
      await this.connected;
      const cluster = await this.admin.describeCluster();
      return indicator.up({
        brokers: cluster.brokers.map((b) => `${b.host}:${b.port}`),
      });
    } catch (error) {
      this.connected = undefined;
      return indicator.down({ message: String((error as Error).message) });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.admin.disconnect();
  }
}
