import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  UploadSubtaskResult,
  type UploadSubtaskResultReply,
} from '@subtasks/contracts';
import {
  ContractClient,
  MessagingError,
  annotateActiveSpan,
} from '@subtasks/messaging';
import {
  type BeginUploadOnceResult,
  LOCAL_UPLOAD_OUTCOME,
  SubtasksRepository,
  type SubtaskRecord,
} from '@subtasks/subtasks-db';
import { LRUCache } from 'lru-cache';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { ApiEnvironment } from '../config/api-environment';
import {
  IdempotencyKeyReusedError,
  SubtaskNotFoundError,
  UploadInFlightError,
  UploadNotPublishedError,
} from './subtask.errors';
import { type SettlementSource, UploadMetrics } from './upload-metrics';
import { type SettledOutcome, settledOutcomeOf } from './upload-outcome';

export interface QueueUploadResult {
  subtaskId: string;
  isWorkerComplete?: boolean;
  /** Wait for the worker's reply before answering. */
  wait?: boolean;
  /** A client's Idempotency-Key: retries with it are the same upload, never a second version. */
  idempotencyKey?: string;
}

export type QueuedUpload =
  | { status: 'accepted'; requestId: string }
  | {
      status: 'finished';
      requestId: string;
      outcome: SettledOutcome;
      resultVersion: number | null;
      reason: string | null;
    };

/** How an upload ended, from whichever source said so first. */
export interface UploadSettlement {
  subtaskId: string;
  requestId: string;
  outcome: SettledOutcome;
  reason?: string | null;
  source: Exclude<SettlementSource, 'reconciler'>;
}

/** Far more than the uploads in flight between a reply and its event. */
const SETTLED_BY_REPLY_REMEMBERED = 50_000;

/** The worker's answers (reply, event) may correct a TIMED_OUT the reconciler recorded too early. */
const WORKER_SOURCES: ReadonlySet<UploadSettlement['source']> = new Set([
  'reply',
  'event',
]);

/**
 * The upload flow: set the flag, publish the command, and clear the flag when the reply, the
 * completion event or the reconciler says the upload is over — only for the upload in flight.
 */
@Injectable()
export class SubtasksService {
  /**
   * Uploads this instance's reply settled, so that their completion event (consumed by whichever
   * api instance holds its partition, usually this one) skips its no-op update. Bounded: an id
   * forgotten only costs that update.
   */
  private readonly settledByReply = new LRUCache<string, true>({
    max: SETTLED_BY_REPLY_REMEMBERED,
  });

  constructor(
    private readonly repository: SubtasksRepository,
    private readonly messaging: ContractClient,
    private readonly config: ConfigService<ApiEnvironment, true>,
    @InjectPinoLogger(SubtasksService.name) private readonly logger: PinoLogger,
    private readonly metrics: UploadMetrics,
  ) {}

  create(title: string): Promise<SubtaskRecord> {
    return this.repository.create(title);
  }

  async findByIdOrThrow(subtaskId: string): Promise<SubtaskRecord> {
    const subtask = await this.repository.findById(subtaskId);
    if (!subtask) throw new SubtaskNotFoundError(subtaskId);
    return subtask;
  }

  /** The seed's entry point: 404 unknown, 409 while an upload is in flight, otherwise publish. */
  async queueUploadResult(params: QueueUploadResult): Promise<QueuedUpload> {
    const { subtaskId, isWorkerComplete = false, idempotencyKey } = params;
    const requestId = randomUUID();
    const requestedAt = new Date();
    const log = { subtaskId, requestId };
    annotateActiveSpan({ 'subtask.id': subtaskId });

    const begun: BeginUploadOnceResult =
      idempotencyKey === undefined
        ? await this.repository.beginUpload(subtaskId, requestId, requestedAt)
        : await this.repository.beginUploadOnce(
            subtaskId,
            requestId,
            requestedAt,
            {
              key: idempotencyKey,
              fingerprint: fingerprintOf({ subtaskId, isWorkerComplete }),
            },
          );
    if (begun.status === 'not-found') throw new SubtaskNotFoundError(subtaskId);
    if (begun.status === 'in-flight') {
      throw new UploadInFlightError(subtaskId, begun.subtask.uploadRequestId);
    }
    if (begun.status === 'replay') {
      annotateActiveSpan({ 'upload.request_id': begun.requestId });
      if (!begun.sameRequest)
        throw new IdempotencyKeyReusedError(subtaskId, begun.requestId);
      return this.answerRetry(subtaskId, begun.requestId, params.wait);
    }
    annotateActiveSpan({ 'upload.request_id': requestId });
    this.logger.debug(log, 'upload started: flag set');
    this.metrics.uploadStarted();

    const command = new UploadSubtaskResult({
      subtaskId,
      isWorkerComplete,
      requestId,
      requestedAt,
    });
    let reply: Promise<UploadSubtaskResultReply>;
    try {
      // Resolves once Kafka has the command; the reply is awaited apart (`send` + `@MessagePattern`).
      ({ reply } = await this.messaging.dispatch(command, {
        timeoutMs: this.config.get('UPLOAD_REPLY_TIMEOUT_MS', { infer: true }),
      }));
    } catch (error) {
      return this.afterFailedDispatch(params, requestId, error);
    }
    this.logger.debug(log, 'upload command published');

    const settled = reply
      .then((answer) => this.settleFromReply(answer))
      .catch((error: unknown) => {
        this.logger.warn(
          { ...log, err: error },
          'the reply did not settle the upload; the completion event or the reconciler will',
        );
        return undefined;
      });
    if (!params.wait) return { status: 'accepted', requestId };

    const answer = await settled;
    if (!answer) return { status: 'accepted', requestId };
    return {
      status: 'finished',
      requestId,
      outcome: answer.outcome,
      resultVersion: answer.resultVersion ?? null,
      reason: answer.reason ?? null,
    };
  }

  /**
   * Only a publish that certainly did not reach Kafka is undone (flag put back, key forgotten, 503).
   * One whose outcome is unknown may still be stored: its flag stays, and the reply, the event or the
   * reconciler settles it; the caller gets its request id, as for any accepted upload.
   */
  private async afterFailedDispatch(
    params: QueueUploadResult,
    requestId: string,
    error: unknown,
  ): Promise<QueuedUpload> {
    const { subtaskId } = params;
    const reason = error instanceof Error ? error.message : String(error);
    if (
      error instanceof MessagingError &&
      error.code === 'PUBLISH_UNCONFIRMED'
    ) {
      this.logger.warn(
        { subtaskId, requestId, err: error },
        'upload command may or may not be published; the flag stays until the reply, the event or the reconciler settles it',
      );
      return { status: 'accepted', requestId };
    }
    await this.settleUpload({
      subtaskId,
      requestId,
      outcome: LOCAL_UPLOAD_OUTCOME.publishFailed,
      reason,
      source: 'publish-failure',
    });
    if (params.idempotencyKey !== undefined)
      await this.repository.releaseUploadKey(subtaskId, params.idempotencyKey);
    // The error filter logs the reason with the request id.
    throw new UploadNotPublishedError(subtaskId, requestId, reason);
  }

  /** A retried request (same Idempotency-Key): the upload it began, as it stands now. */
  private async answerRetry(
    subtaskId: string,
    requestId: string,
    wait: boolean | undefined,
  ): Promise<QueuedUpload> {
    const state = await this.repository.uploadState(subtaskId, requestId);
    if (state === null) throw new SubtaskNotFoundError(subtaskId);
    if (!wait || state.inFlight) return { status: 'accepted', requestId };
    if (state.storedVersion !== null)
      return {
        status: 'finished',
        requestId,
        outcome:
          state.lastOutcome === 'ALREADY_STORED' ? 'ALREADY_STORED' : 'STORED',
        resultVersion: state.storedVersion,
        reason: null,
      };
    return {
      status: 'finished',
      requestId,
      outcome:
        state.lastOutcome === null
          ? LOCAL_UPLOAD_OUTCOME.timedOut
          : settledOutcomeOf(state.lastOutcome),
      resultVersion: null,
      reason: state.lastError,
    };
  }

  /**
   * Clears the flag if `requestId` is still the upload in flight; a stale answer changes nothing. The
   * worker's late answer to an upload the reconciler timed out records the true outcome.
   */
  async settleUpload(settlement: UploadSettlement): Promise<boolean> {
    const { requestId } = settlement;
    if (settlement.source === 'event' && this.settledByReply.has(requestId)) {
      // The reply carried the same outcome and already wrote it: a second update would change nothing.
      this.settledByReply.delete(requestId);
      this.logger.debug(
        { subtaskId: settlement.subtaskId, requestId },
        'upload already settled by its reply; event needs no update',
      );
      return false;
    }
    const result = await this.repository.finishUpload({
      subtaskId: settlement.subtaskId,
      requestId: settlement.requestId,
      outcome: settlement.outcome,
      error: settlement.reason ?? null,
      correctsTimeout: WORKER_SOURCES.has(settlement.source),
    });
    this.logger.info(
      {
        subtaskId: settlement.subtaskId,
        requestId: settlement.requestId,
        outcome: settlement.outcome,
        source: settlement.source,
      },
      result.status === 'cleared'
        ? `upload finished (${settlement.source}): flag cleared`
        : result.status === 'corrected'
          ? `upload had timed out; ${settlement.source} recorded its true outcome`
          : `upload already settled or superseded; ${settlement.source} ignored`,
    );
    if (result.status === 'ignored') return false;
    const labels = { outcome: settlement.outcome, source: settlement.source };
    if (result.status === 'corrected') this.metrics.uploadCorrected(labels);
    else this.metrics.uploadSettled(labels, result.startedAt);
    if (settlement.source === 'reply') this.settledByReply.set(requestId, true);
    return result.status === 'cleared';
  }

  /** Clears flags older than the upload deadline, recording TIMED_OUT. */
  async expireStaleUploads(now = new Date()): Promise<number> {
    const deadlineMs = this.config.get('UPLOAD_DEADLINE_MS', { infer: true });
    const expired = await this.repository.expireUploads(
      new Date(now.getTime() - deadlineMs),
      `no reply or completion event within ${deadlineMs} ms`,
    );
    for (const upload of expired) {
      this.logger.warn(
        { subtaskId: upload.subtaskId, requestId: upload.requestId },
        'upload timed out: flag cleared by the reconciler',
      );
      this.metrics.uploadSettled(
        { outcome: LOCAL_UPLOAD_OUTCOME.timedOut, source: 'reconciler' },
        upload.startedAt,
        now.getTime(),
      );
    }
    const keyTtlMs = this.config.get('IDEMPOTENCY_KEY_TTL_MS', { infer: true });
    await this.repository.pruneUploadKeys(new Date(now.getTime() - keyTtlMs));
    return expired.length;
  }

  private async settleFromReply(
    reply: UploadSubtaskResultReply,
  ): Promise<UploadSubtaskResultReply> {
    await this.settleUpload({
      subtaskId: reply.subtaskId,
      requestId: reply.requestId,
      outcome: reply.outcome,
      reason: reply.reason ?? null,
      source: 'reply',
    });
    return reply;
  }
}

/** What a keyed request asked for: the same key with another body is refused (422). */
function fingerprintOf(request: {
  subtaskId: string;
  isWorkerComplete: boolean;
}): string {
  return createHash('sha256')
    .update(JSON.stringify([request.subtaskId, request.isWorkerComplete]))
    .digest('hex');
}
