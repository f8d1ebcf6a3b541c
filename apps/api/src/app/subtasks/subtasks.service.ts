import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  UploadSubtaskResult,
  type UploadSubtaskResultReply,
} from '@subtasks/contracts';
import {
  LOCAL_UPLOAD_OUTCOME,
  SubtasksRepository,
  type SubtaskRecord,
} from '@subtasks/subtasks-db';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { ApiEnvironment } from '../config/api-environment';
import {
  SubtaskNotFoundError,
  UploadInFlightError,
  UploadNotPublishedError,
} from './subtask.errors';
import { UploadDispatcher } from './upload-dispatcher';

export interface QueueUploadResult {
  subtaskId: string;
  isWorkerComplete?: boolean;
  /** Wait for the worker's reply before answering. */
  wait?: boolean;
}

export type QueuedUpload =
  | { status: 'accepted'; requestId: string }
  | {
      status: 'finished';
      requestId: string;
      outcome: string;
      resultVersion: number | null;
      reason: string | null;
    };

/** How an upload ended, from whichever source said so first. */
export interface UploadSettlement {
  subtaskId: string;
  requestId: string;
  outcome: string;
  reason?: string | null;
  source: 'reply' | 'event' | 'publish-failure';
}

/**
 * The upload flow: set the flag, publish the command, and clear the flag when the reply, the
 * completion event or the reconciler says the upload is over — only for the upload in flight.
 */
@Injectable()
export class SubtasksService {
  constructor(
    private readonly repository: SubtasksRepository,
    private readonly dispatcher: UploadDispatcher,
    private readonly config: ConfigService<ApiEnvironment, true>,
    @InjectPinoLogger(SubtasksService.name) private readonly logger: PinoLogger,
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
    const { subtaskId, isWorkerComplete = false } = params;
    const requestId = randomUUID();
    const requestedAt = new Date();
    const log = { subtaskId, requestId };

    const begun = await this.repository.beginUpload(
      subtaskId,
      requestId,
      requestedAt,
    );
    if (begun.status === 'not-found') throw new SubtaskNotFoundError(subtaskId);
    if (begun.status === 'in-flight') {
      throw new UploadInFlightError(subtaskId, begun.subtask.uploadRequestId);
    }
    this.logger.info(log, 'upload started: flag set');

    const command = new UploadSubtaskResult({
      subtaskId,
      isWorkerComplete,
      requestId,
      requestedAt,
    });
    let reply: Promise<UploadSubtaskResultReply>;
    try {
      ({ reply } = await this.dispatcher.dispatch(command));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      await this.settleUpload({
        subtaskId,
        requestId,
        outcome: LOCAL_UPLOAD_OUTCOME.publishFailed,
        reason,
        source: 'publish-failure',
      });
      throw new UploadNotPublishedError(subtaskId, requestId, reason);
    }
    this.logger.info(log, 'upload command published');

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

  /** Clears the flag if `requestId` is still the upload in flight; a stale answer changes nothing. */
  async settleUpload(settlement: UploadSettlement): Promise<boolean> {
    const cleared = await this.repository.finishUpload({
      subtaskId: settlement.subtaskId,
      requestId: settlement.requestId,
      outcome: settlement.outcome,
      error: settlement.reason ?? null,
    });
    this.logger.info(
      {
        subtaskId: settlement.subtaskId,
        requestId: settlement.requestId,
        outcome: settlement.outcome,
        source: settlement.source,
      },
      cleared
        ? `upload finished (${settlement.source}): flag cleared`
        : `upload already settled or superseded; ${settlement.source} ignored`,
    );
    return cleared;
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
        upload,
        'upload timed out: flag cleared by the reconciler',
      );
    }
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
