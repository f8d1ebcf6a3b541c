import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { KafkaConnection } from '@subtasks/config';
import { type Admin, logLevel } from 'kafkajs';
import { createKafka } from '../kafka/kafka-client';
import { explainKafkaFailure } from '../kafka/kafka-failure';

export interface KafkaHealthOptions {
  readonly connection: KafkaConnection;
  readonly clientId: string;
  readonly timeoutMs?: number;
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
    this.admin = createKafka(options.connection, {
      clientId: options.clientId,
      purpose: 'health',
      timeoutMs: options.timeoutMs ?? 3_000,
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
      return indicator.down({
        message: explainKafkaFailure(error, this.options.connection).message,
      });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.admin.disconnect();
  }
}
