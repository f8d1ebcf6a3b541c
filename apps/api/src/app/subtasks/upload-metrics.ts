import { Injectable } from '@nestjs/common';
import { Metrics } from '@subtasks/config';
import { SubtasksRepository } from '@subtasks/subtasks-db';
import type { Counter, Histogram } from 'prom-client';
import type { SettledOutcome } from './upload-outcome';

/** Who said an upload was over. */
export type SettlementSource =
  | 'reply'
  | 'event'
  | 'reconciler'
  | 'publish-failure';

type SettlementLabels = 'outcome' | 'source';

/**
 * The upload flow's figures. Every started upload is settled exactly once (the flag cleared), so
 * `started − settled` is what is in flight; a worker's answer that replaces a TIMED_OUT counts as a
 * correction, not a second settlement.
 */
@Injectable()
export class UploadMetrics {
  private readonly started: Counter;
  private readonly settled: Counter<SettlementLabels>;
  private readonly corrected: Counter<SettlementLabels>;
  private readonly flagDuration: Histogram<SettlementLabels>;

  constructor(metrics: Metrics, repository: SubtasksRepository) {
    this.started = metrics.counter({
      name: 'subtask_uploads_started_total',
      help: 'Uploads that set their subtask flag and were handed to the worker',
    });
    this.settled = metrics.counter({
      name: 'subtask_uploads_settled_total',
      help: 'Uploads whose flag this api cleared, by outcome and by what settled them (reply, event, reconciler, publish-failure)',
      labelNames: ['outcome', 'source'],
    });
    this.corrected = metrics.counter({
      name: 'subtask_uploads_corrected_total',
      help: 'Timed-out uploads whose worker answer arrived late and recorded the true outcome',
      labelNames: ['outcome', 'source'],
    });
    this.flagDuration = metrics.histogram({
      name: 'subtask_upload_flag_duration_seconds',
      help: 'Time from setting an upload flag to clearing it, by outcome and source',
      labelNames: ['outcome', 'source'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    });
    metrics.scrapedGauge(
      {
        name: 'subtask_uploads_in_flight',
        help: 'Subtasks whose upload flag is set now (every api instance and worker included)',
      },
      async (gauge) => gauge.set(await repository.uploadsInFlight()),
    );
  }

  uploadStarted(): void {
    this.started.inc();
  }

  uploadSettled(
    labels: { outcome: SettledOutcome; source: SettlementSource },
    startedAt: Date,
    now = Date.now(),
  ): void {
    this.settled.inc(labels);
    this.flagDuration.observe(
      labels,
      Math.max(0, now - startedAt.getTime()) / 1000,
    );
  }

  uploadCorrected(labels: {
    outcome: SettledOutcome;
    source: SettlementSource;
  }): void {
    this.corrected.inc(labels);
  }
}
