import { Injectable } from '@nestjs/common';
import { Metrics } from '@subtasks/config';
import type { Counter, Histogram } from 'prom-client';

/** How a consumed message's handling ended. */
export type HandlingOutcome =
  /** The handler succeeded (possibly after retries). */
  | 'handled'
  /** Parked in the dead-letter topic (or acknowledged where the catalogue declares none). */
  | 'dead_lettered'
  /** Given back to Kafka uncommitted (rebalance, shutdown, a park that failed): it comes again. */
  | 'redelivered';

/** The messaging layer's figures: handler durations, retries and dead letters. */
@Injectable()
export class MessagingMetrics {
  private readonly handlerDuration: Histogram<'topic' | 'outcome'>;
  private readonly retries: Counter<'topic' | 'kind'>;
  private readonly deadLetters: Counter<'topic' | 'reason'>;

  constructor(metrics: Metrics) {
    this.handlerDuration = metrics.histogram({
      name: 'messaging_handler_duration_seconds',
      help: 'Handling of consumed messages by source topic and outcome (handled, dead_lettered, redelivered), retries included',
      labelNames: ['topic', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
    });
    this.retries = metrics.counter({
      name: 'messaging_handler_retries_total',
      help: 'Handler attempts that failed and were retried, by source topic and failure kind',
      labelNames: ['topic', 'kind'],
    });
    this.deadLetters = metrics.counter({
      name: 'messaging_dead_letters_total',
      help: 'Messages parked in a dead-letter topic, by source topic and reason code',
      labelNames: ['topic', 'reason'],
    });
  }

  handled(topic: string, outcome: HandlingOutcome, seconds: number): void {
    this.handlerDuration.observe({ topic, outcome }, seconds);
  }

  retried(topic: string, kind: string): void {
    this.retries.inc({ topic, kind });
  }

  deadLettered(topic: string, reason: string): void {
    this.deadLetters.inc({ topic, reason });
  }
}
