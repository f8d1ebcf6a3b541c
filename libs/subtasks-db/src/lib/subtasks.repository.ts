import { Injectable } from '@nestjs/common';
import type { Subtask } from '../generated/prisma/client';
import { PrismaService } from './prisma.service';
import { LOCAL_UPLOAD_OUTCOME } from './upload-outcome';

export type SubtaskRecord = Subtask;

export type BeginUploadResult =
  | { status: 'started'; subtask: SubtaskRecord }
  | { status: 'in-flight'; subtask: SubtaskRecord }
  | { status: 'not-found' };

export interface FinishUpload {
  subtaskId: string;
  requestId: string;
  outcome: string;
  error?: string | null;
}

export interface StoreResult {
  subtaskId: string;
  requestId: string;
  isWorkerComplete: boolean;
}

export type StoreResultOutcome =
  | { status: 'stored'; version: number }
  | { status: 'already-stored'; version: number }
  | { status: 'no-such-subtask' };

export interface ExpiredUpload {
  subtaskId: string;
  requestId: string;
}

export type SubtaskMetadata = Partial<
  Pick<SubtaskRecord, 'title' | 'uploading' | 'submitted' | 'lastError'>
>;

/**
 * Every operation is a single conditional statement or a transaction holding the subtask's row lock,
 * so concurrent API instances and workers cannot interleave a read and a write.
 */
@Injectable()
export class SubtasksRepository {
  constructor(private readonly prisma: PrismaService) {}

  create(title: string): Promise<SubtaskRecord> {
    return this.prisma.subtask.create({ data: { title } });
  }

  findById(id: string): Promise<SubtaskRecord | null> {
    return this.prisma.subtask.findUnique({ where: { id } });
  }

  /** The seed's generic metadata update; returns null when the subtask does not exist. */
  async updateMetadata(
    id: string,
    metadata: SubtaskMetadata,
  ): Promise<SubtaskRecord | null> {
    const { count } = await this.prisma.subtask.updateMany({
      where: { id },
      data: metadata,
    });
    return count === 0 ? null : this.findById(id);
  }

  /** Sets the flag only if no upload is in flight: exactly one of concurrent callers wins. */
  async beginUpload(
    id: string,
    requestId: string,
    now: Date,
  ): Promise<BeginUploadResult> {
    const { count } = await this.prisma.subtask.updateMany({
      where: { id, uploading: false },
      data: {
        uploading: true,
        uploadRequestId: requestId,
        uploadStartedAt: now,
      },
    });
    const subtask = await this.findById(id);
    if (!subtask) return { status: 'not-found' };
    if (count === 1) return { status: 'started', subtask };
    return { status: 'in-flight', subtask };
  }

  /**
   * Clears the flag if, and only if, `requestId` is still the upload in flight: a stale reply or event
   * never clears a newer upload. Returns whether this call cleared it.
   */
  async finishUpload(finish: FinishUpload): Promise<boolean> {
    const { count } = await this.prisma.subtask.updateMany({
      where: {
        id: finish.subtaskId,
        uploading: true,
        uploadRequestId: finish.requestId,
      },
      data: {
        uploading: false,
        lastOutcome: finish.outcome,
        lastError: finish.error ?? null,
      },
    });
    return count === 1;
  }

  /** Clears every flag set before `startedBefore`, recording the timeout; returns what it cleared. */
  async expireUploads(
    startedBefore: Date,
    reason: string,
  ): Promise<ExpiredUpload[]> {
    const rows = await this.prisma.$queryRaw<
      { id: string; upload_request_id: string }[]
    >`
      UPDATE subtasks
         SET uploading = false, last_outcome = ${LOCAL_UPLOAD_OUTCOME.timedOut}, last_error = ${reason}, updated_at = now()
       WHERE uploading AND upload_started_at < ${startedBefore}
   RETURNING id, upload_request_id`;
    return rows.map((row) => ({
      subtaskId: row.id,
      requestId: row.upload_request_id,
    }));
  }

  /**
   * Stores the next immutable result version, once per request id (idempotency key). The subtask row
   * is locked so versions stay dense and `resultVersion` always names the latest stored version.
   */
  storeResult(store: StoreResult): Promise<StoreResultOutcome> {
    return this.prisma.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM subtasks WHERE id = ${store.subtaskId} FOR UPDATE`;
      if (locked.length === 0) return { status: 'no-such-subtask' } as const;

      const existing = await tx.subtaskResult.findUnique({
        where: { requestId: store.requestId },
      });
      if (existing) {
        return { status: 'already-stored', version: existing.version } as const;
      }

      const latest = await tx.subtaskResult.aggregate({
        where: { subtaskId: store.subtaskId },
        _max: { version: true },
      });
      const version = (latest._max.version ?? 0) + 1;
      await tx.subtaskResult.create({
        data: {
          subtaskId: store.subtaskId,
          requestId: store.requestId,
          version,
          isWorkerComplete: store.isWorkerComplete,
        },
      });
      await tx.subtask.update({
        where: { id: store.subtaskId },
        data: {
          resultVersion: version,
          ...(store.isWorkerComplete ? { submitted: true } : {}),
        },
      });
      return { status: 'stored', version } as const;
    });
  }

  listResults(subtaskId: string) {
    return this.prisma.subtaskResult.findMany({
      where: { subtaskId },
      orderBy: { version: 'asc' },
    });
  }
}
