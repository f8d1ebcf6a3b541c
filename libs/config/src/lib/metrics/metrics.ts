import { Injectable, Logger } from '@nestjs/common';
import {
  Counter,
  type CounterConfiguration,
  Gauge,
  type GaugeConfiguration,
  Histogram,
  type HistogramConfiguration,
  Registry,
  collectDefaultMetrics,
} from 'prom-client';

/** A value read when Prometheus scrapes (a database count, a consumer's lag). */
export type ScrapeReading<L extends string> = (
  gauge: Gauge<L>,
) => Promise<void>;

type Configuration<C> = Omit<C, 'registers' | 'collect'>;

/** Scrape-time readings that take longer are skipped, so one slow dependency cannot hang /metrics. */
export const SCRAPE_READING_TIMEOUT_MS = 2_000;

/**
 * The app's Prometheus registry (prom-client): Node's process metrics plus the counters, histograms
 * and gauges the app's parts declare here. One per app, not prom-client's global registry, so test
 * processes that boot several apps keep their figures apart. Declaring a metric twice returns the
 * first declaration, so parts that share a metric need not agree on who creates it.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly logger = new Logger('Metrics');

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  counter<L extends string>(
    configuration: Configuration<CounterConfiguration<L>>,
  ): Counter<L> {
    return this.declared(
      configuration.name,
      () => new Counter({ ...configuration, registers: [this.registry] }),
    );
  }

  histogram<L extends string>(
    configuration: Configuration<HistogramConfiguration<L>>,
  ): Histogram<L> {
    return this.declared(
      configuration.name,
      () => new Histogram({ ...configuration, registers: [this.registry] }),
    );
  }

  gauge<L extends string>(
    configuration: Configuration<GaugeConfiguration<L>>,
  ): Gauge<L> {
    return this.declared(
      configuration.name,
      () => new Gauge({ ...configuration, registers: [this.registry] }),
    );
  }

  /**
   * A gauge whose values are read at each scrape. A reading that fails or times out reports no
   * number for that scrape — no series for a labelled gauge, NaN for a plain one (prom-client always
   * prints those) — rather than a stale or made-up one, and is logged.
   */
  scrapedGauge<L extends string>(
    configuration: Configuration<GaugeConfiguration<L>>,
    read: ScrapeReading<L>,
    timeoutMs = SCRAPE_READING_TIMEOUT_MS,
  ): Gauge<L> {
    const logger = this.logger;
    return this.declared(
      configuration.name,
      () =>
        new Gauge<L>({
          ...configuration,
          registers: [this.registry],
          async collect() {
            this.reset();
            try {
              await withTimeout(read(this), timeoutMs);
            } catch (error) {
              this.reset();
              if (!configuration.labelNames?.length) this.set(NaN);
              logger.warn(
                `${configuration.name} not reported in this scrape: ${error instanceof Error ? error.message : String(error)}`,
              );
            }
          },
        }),
    );
  }

  /** The metric already registered under `name`, or the one `create` registers. */
  private declared<M>(name: string, create: () => M): M {
    return (this.registry.getSingleMetric(name) as M | undefined) ?? create();
  }
}

async function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${ms} ms`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Seconds since `startedAt` (a `process.hrtime.bigint()` reading), for histograms. */
export function secondsSince(startedAt: bigint): number {
  return Number(process.hrtime.bigint() - startedAt) / 1e9;
}
