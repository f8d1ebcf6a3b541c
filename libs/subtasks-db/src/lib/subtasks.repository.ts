import { Injectable } from '@nestjs/common';
import { PrismaService } from './prisma.service';
import { LOCAL_UPLOAD_OUTCOME } from './upload-outcome';

/** The advisory lock key of the outbox relay (any constant unique to this database's users). */
const OUTBOX_RELAY_LOCK = 0x5ab7a5c0;

/** A subtask as this library stores it (Prisma's row type stays inside the library). */
export interface SubtaskRecord {
  readonly id: string;
  readonly title: string;
  readonly submitted: boolean;
  /** True while an upload is in flight. */
  readonly uploading: boolean;
  /** The upload in flight, or the last one. */
  readonly uploadRequestId: string | null;
  readonly uploadStartedAt: Date | null;
  /** How the last upload ended, as recorded (the API's outcome type reads it). */
  readonly lastOutcome: string | null;
  readonly lastError: string | null;
  /** The latest stored result version. */
  readonly resultVersion: number | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export type BeginUploadResult =
  | { status: 'started'; subtask: SubtaskRecord }
  | { status: 'in-flight'; subtask: SubtaskRecord }
  | { status: 'not-found' };

export interface FinishUpload {
  subtaskId: string;
  requestId: string;
  outcome: string;
  error?: string | null;
  /**
   * A late answer (reply or event) may replace the reconciler's TIMED_OUT with the worker's true
   * outcome; the API's own outcomes (a refused publish) only ever settle the upload in flight.
   */
  correctsTimeout?: boolean;
}

/** What `finishUpload` did: cleared the flag, corrected a timed-out outcome, or nothing (stale). */
export type FinishUploadResult =
  | { readonly status: 'cleared' | 'corrected'; readonly startedAt: Date }
  | { readonly status: 'ignored' };

export interface StoreResult {
  subtaskId: string;
  requestId: string;
  isWorkerComplete: boolean;
}

/**
 * The message announcing a newly stored version, written by the statement that stores it. Its
 * `payload` is the message's fields as JSON; the statement sets `resultVersion` in it to the version
 * it chose, and the relay encodes the result when it publishes.
 */
export interface OutboxAnnouncement {
  topic: string;
  key: string | null;
  headers: Record<string, string>;
  payload: Record<string, unknown>;
}

/** An unpublished outbox row as the relay reads it. */
interface OutboxRow {
  id: bigint;
  requestId: string;
  topic: string;
  messageKey: string | null;
  headers: Record<string, string>;
  value: Uint8Array | null;
  payload: unknown;
}

/** An outbox row waiting for the relay: an encoded `value`, or a `payload` to encode. */
export interface PendingOutboxMessage {
  id: bigint;
  requestId: string;
  topic: string;
  key: string | null;
  headers: Record<string, string>;
  value: Buffer | null;
  payload: unknown;
}

export type StoreResultOutcome =
  | { status: 'stored'; version: number }
  | { status: 'already-stored'; version: number }
  | { status: 'no-such-subtask' };

/** A client's Idempotency-Key for an upload, with what the request asked for. */
export interface UploadKey {
  key: string;
  /** A hash of the request's content; the same key with other content is refused. */
  fingerprint: string;
}

export type BeginUploadOnceResult =
  | BeginUploadResult
  /** The key was seen before: the upload it began, and whether it asked for the same thing. */
  | { status: 'replay'; requestId: string; sameRequest: boolean };

/** Where one upload stands, for answering a retried request. */
export interface UploadState {
  inFlight: boolean;
  storedVersion: number | null;
  /** The outcome recorded for this upload, while it is still the subtask's latest. */
  lastOutcome: string | null;
  lastError: string | null;
}

export interface ExpiredUpload {
  subtaskId: string;
  requestId: string;
  /** When its flag was set. */
  startedAt: Date;
}

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

  /** Sets the flag only if no upload is in flight: exactly one of concurrent callers wins. */
  async beginUpload(
    id: string,
    requestId: string,
    now: Date,
  ): Promise<BeginUploadResult> {
    // One statement sets the flag and returns the row, so nothing can fail between the two.
    const started = await setUploadFlag(this.prisma, id, requestId, now);
    if (started) return { status: 'started', subtask: started };
    const subtask = await this.findById(id);
    if (!subtask) return { status: 'not-found' };
    return { status: 'in-flight', subtask };
  }

  /**
   * `beginUpload` under a client's Idempotency-Key: the key is recorded with the upload it begins, in
   * one transaction, so a retry finds the same request id; a key seen before begins nothing.
   */
  async beginUploadOnce(
    id: string,
    requestId: string,
    now: Date,
    key: UploadKey,
  ): Promise<BeginUploadOnceResult> {
    const notStarted = Symbol('not started');
    try {
      return await this.prisma.$transaction(async (tx) => {
        const inserted = await tx.$queryRaw<{ request_id: string }[]>`
          INSERT INTO idempotency_keys (subtask_id, key, fingerprint, request_id)
          VALUES (${id}, ${key.key}, ${key.fingerprint}, ${requestId})
          ON CONFLICT (subtask_id, key) DO NOTHING
          RETURNING request_id`;
        if (inserted.length === 0) {
          const [seen] = await tx.idempotencyKey.findMany({
            where: { subtaskId: id, key: key.key },
          });
          if (seen === undefined) throw new Error('idempotency key vanished');
          return {
            status: 'replay',
            requestId: seen.requestId,
            sameRequest: seen.fingerprint === key.fingerprint,
          } as const;
        }
        const started = await setUploadFlag(tx, id, requestId, now);
        // Rolls the key back with the upload that did not begin.
        if (started === undefined) throw notStarted;
        return { status: 'started', subtask: started } as const;
      });
    } catch (error) {
      if (error !== notStarted) throw error;
      const subtask = await this.findById(id);
      return subtask === null
        ? { status: 'not-found' }
        : { status: 'in-flight', subtask };
    }
  }

  /** Forgets a key whose upload never left (its publish was refused): a retry may try again. */
  async releaseUploadKey(id: string, key: string): Promise<void> {
    await this.prisma.idempotencyKey.deleteMany({
      where: { subtaskId: id, key },
    });
  }

  /** Deletes keys recorded before `before`; returns how many. */
  async pruneUploadKeys(before: Date): Promise<number> {
    const { count } = await this.prisma.idempotencyKey.deleteMany({
      where: { createdAt: { lt: before } },
    });
    return count;
  }

  /** Where the upload `requestId` of subtask `id` stands; null when the subtask does not exist. */
  async uploadState(
    id: string,
    requestId: string,
  ): Promise<UploadState | null> {
    const [row] = await this.prisma.$queryRaw<
      {
        in_flight: boolean;
        stored_version: number | null;
        last_outcome: string | null;
        last_error: string | null;
      }[]
    >`
      SELECT s.uploading AND s.upload_request_id = ${requestId} AS in_flight,
             r.version AS stored_version,
             CASE WHEN s.upload_request_id = ${requestId} THEN s.last_outcome END AS last_outcome,
             CASE WHEN s.upload_request_id = ${requestId} THEN s.last_error END AS last_error
        FROM subtasks s
        LEFT JOIN subtask_results r ON r.request_id = ${requestId} AND r.subtask_id = s.id
       WHERE s.id = ${id}`;
    if (row === undefined) return null;
    return {
      inFlight: row.in_flight === true,
      storedVersion: row.stored_version,
      lastOutcome: row.last_outcome,
      lastError: row.last_error,
    };
  }

  /**
   * Clears the flag if, and only if, `requestId` is still the upload in flight: a stale reply or event
   * never clears a newer upload. With `correctsTimeout`, an upload of `requestId` that the reconciler
   * already timed out gets its true outcome recorded (the flag stays down).
   */
  async finishUpload(finish: FinishUpload): Promise<FinishUploadResult> {
    const rows = await this.prisma.$queryRaw<
      { was_uploading: boolean; started_at: Date }[]
    >`
      WITH current AS (
        SELECT id, uploading FROM subtasks
         WHERE id = ${finish.subtaskId} AND upload_request_id = ${finish.requestId}
           AND (uploading OR (${finish.correctsTimeout ?? false} AND last_outcome = ${LOCAL_UPLOAD_OUTCOME.timedOut}))
           FOR UPDATE)
      UPDATE subtasks s
         SET uploading = false, last_outcome = ${finish.outcome}, last_error = ${finish.error ?? null}, updated_at = now()
        FROM current
       WHERE s.id = current.id
   RETURNING current.uploading AS was_uploading, s.upload_started_at AS started_at`;
    const [row] = rows;
    if (row === undefined) return { status: 'ignored' };
    return {
      status: row.was_uploading ? 'cleared' : 'corrected',
      startedAt: row.started_at,
    };
  }

  /** Clears every flag set before `startedBefore`, recording the timeout; returns what it cleared. */
  async expireUploads(
    startedBefore: Date,
    reason: string,
  ): Promise<ExpiredUpload[]> {
    const rows = await this.prisma.$queryRaw<
      { id: string; upload_request_id: string; upload_started_at: Date }[]
    >`
      UPDATE subtasks
         SET uploading = false, last_outcome = ${LOCAL_UPLOAD_OUTCOME.timedOut}, last_error = ${reason}, updated_at = now()
       WHERE uploading AND upload_started_at < ${startedBefore}
   RETURNING id, upload_request_id, upload_started_at`;
    return rows.map((row) => ({
      subtaskId: row.id,
      requestId: row.upload_request_id,
      startedAt: row.upload_started_at,
    }));
  }

  /**
   * Stores the next immutable result version, once per request id (idempotency key), and the message
   * announcing it, in one statement (one round trip, `store_result_announced`): either both are
   * written or neither, so every stored version is announced (transactional outbox).
   */
  async storeResult(
    store: StoreResult,
    announcement: OutboxAnnouncement,
  ): Promise<StoreResultOutcome> {
    const [row] = await this.prisma.$queryRaw<
      { status: StoreResultOutcome['status']; version: number | null }[]
    >`SELECT status, version FROM store_result_announced(
        ${store.subtaskId}, ${store.requestId}, ${store.isWorkerComplete},
        ${announcement.topic}, ${announcement.key},
        ${JSON.stringify(announcement.headers)}::jsonb, ${JSON.stringify(announcement.payload)}::jsonb)`;
    if (row === undefined || row.status === 'no-such-subtask')
      return { status: 'no-such-subtask' };
    return { status: row.status, version: row.version as number };
  }

  /**
   * Hands the oldest unpublished outbox messages (at most `limit`, in the order they were written) to
   * `publish`, and marks them published when it resolves. One relay at a time across every process
   * (a transaction-scoped advisory lock), so messages leave in order; returns how many it published,
   * 0 when another relay holds the lock or nothing waits.
   */
  relayOutbox(
    limit: number,
    publish: (messages: PendingOutboxMessage[]) => Promise<void>,
    timeoutMs: number,
  ): Promise<number> {
    return this.prisma.$transaction(
      async (tx) => {
        // One round trip takes the relay's lock and reads the batch, in plain SQL: Prisma's query
        // builder compiled both on every pass, for every upload at low load. Without the lock no row
        // comes back, as when nothing waits (the CTE's volatile call runs once, materialized).
        const rows = await tx.$queryRaw<OutboxRow[]>`
          WITH relay AS (SELECT pg_try_advisory_xact_lock(${OUTBOX_RELAY_LOCK}) AS locked)
          SELECT o.id, o.request_id AS "requestId", o.topic, o.message_key AS "messageKey",
                 o.headers, o.value, o.payload
            FROM relay, outbox o
           WHERE relay.locked AND o.published_at IS NULL
           ORDER BY o.id
           LIMIT ${limit}`;
        if (rows.length === 0) return 0;
        await publish(
          rows.map((row) => ({
            id: row.id,
            requestId: row.requestId,
            topic: row.topic,
            key: row.messageKey,
            headers: row.headers,
            value: row.value === null ? null : Buffer.from(row.value),
            payload: row.payload,
          })),
        );
        const ids = rows.map((row) => row.id);
        await tx.$executeRaw`
          UPDATE outbox SET published_at = now() WHERE id = ANY(${ids}::bigint[])`;
        return rows.length;
      },
      { timeout: timeoutMs, maxWait: timeoutMs },
    );
  }

  /** Subtasks whose upload flag is set (uses the uploading index). */
  uploadsInFlight(): Promise<number> {
    return this.prisma.subtask.count({ where: { uploading: true } });
  }

  /** Unpublished outbox messages (the relay's backlog). */
  outboxBacklog(): Promise<number> {
    return this.prisma.outboxMessage.count({ where: { publishedAt: null } });
  }

  /** Deletes outbox messages published before `before`; returns how many. */
  async pruneOutbox(before: Date): Promise<number> {
    const { count } = await this.prisma.outboxMessage.deleteMany({
      where: { publishedAt: { lt: before } },
    });
    return count;
  }
}

/**
 * The conditional update that begins an upload, as one plain statement. Prisma's
 * `updateManyAndReturn` sends it inside BEGIN … COMMIT: three round trips on every upload.
 */
async function setUploadFlag(
  client: Pick<PrismaService, '$queryRaw'>,
  id: string,
  requestId: string,
  now: Date,
): Promise<SubtaskRecord | undefined> {
  const [started] = await client.$queryRaw<SubtaskRecord[]>`
    UPDATE subtasks
       SET uploading = true, upload_request_id = ${requestId}, upload_started_at = ${now}, updated_at = now()
     WHERE id = ${id} AND NOT uploading
 RETURNING id, title, submitted, uploading,
           upload_request_id AS "uploadRequestId", upload_started_at AS "uploadStartedAt",
           last_outcome AS "lastOutcome", last_error AS "lastError",
           result_version AS "resultVersion", created_at AS "createdAt", updated_at AS "updatedAt"`;
  return started;
}
