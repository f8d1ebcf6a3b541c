import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { type KafkaConnection, Metrics } from '@subtasks/config';
import { type Admin, logLevel } from 'kafkajs';
import { createKafka } from '../kafka/kafka-client';

export interface ConsumerLagOptions {
  readonly connection: KafkaConnection;
  readonly clientId: string;
  /** The consumer groups whose lag this app reports (its own). */
  readonly groups: readonly string[];
}

/**
 * `kafka_consumer_lag_messages{group,topic,partition}`, read from the cluster at each scrape: the
 * partition's end offset minus the group's committed offset (its start offset when nothing is
 * committed yet). Every partition a group has committed on is reported, so a caught-up group shows 0.
 */
@Injectable()
export class ConsumerLagMetrics implements OnModuleDestroy {
  private readonly admin: Admin;
  private connected?: Promise<void>;

  constructor(metrics: Metrics, options: ConsumerLagOptions) {
    this.admin = createKafka(options.connection, {
      clientId: options.clientId,
      purpose: 'metrics',
      // kafkajs finds a group's coordinator by failing once, refreshing metadata and retrying.
      retry: { retries: 2, initialRetryTime: 100 },
      logLevel: logLevel.NOTHING,
    }).admin();
    // Nothing to report: no gauge, and no admin connection at each scrape.
    if (options.groups.length === 0) return;
    metrics.scrapedGauge(
      {
        name: 'kafka_consumer_lag_messages',
        help: "Messages on a partition that the app's consumer group has not committed yet",
        labelNames: ['group', 'topic', 'partition'],
      },
      async (gauge) => {
        for (const lag of await this.lagOf(options.groups))
          gauge.set(lag.labels, lag.value);
      },
    );
  }

  private async lagOf(
    groups: readonly string[],
  ): Promise<
    { labels: Record<'group' | 'topic' | 'partition', string>; value: number }[]
  > {
    try {
      this.connected ??= this.admin.connect();
      await this.connected;
    } catch (error) {
      this.connected = undefined;
      throw error;
    }
    const lags = [];
    const ends = new Map<
      string,
      Promise<Map<number, { high: bigint; low: bigint }>>
    >();
    for (const group of groups) {
      for (const { topic, partitions } of await this.admin.fetchOffsets({
        groupId: group,
      })) {
        let topicEnds = ends.get(topic);
        if (topicEnds === undefined) {
          topicEnds = this.admin
            .fetchTopicOffsets(topic)
            .then(
              (offsets) =>
                new Map(
                  offsets.map((o) => [
                    o.partition,
                    { high: BigInt(o.high), low: BigInt(o.low) },
                  ]),
                ),
            );
          ends.set(topic, topicEnds);
        }
        const byPartition = await topicEnds;
        for (const { partition, offset } of partitions) {
          const end = byPartition.get(partition);
          if (end === undefined) continue;
          const committed = offset === '-1' ? end.low : BigInt(offset);
          lags.push({
            labels: { group, topic, partition: String(partition) },
            value: Number(end.high > committed ? end.high - committed : 0n),
          });
        }
      }
    }
    return lags;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.connected !== undefined) await this.admin.disconnect();
  }
}
