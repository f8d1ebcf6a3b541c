import { randomUUID } from 'node:crypto';
import {
  createMigratedDatabase,
  type TemporaryDatabase,
} from '../testing/temporary-database';
import { PrismaService } from './prisma.service';
import {
  type OutboxAnnouncement,
  type PendingOutboxMessage,
  SubtasksRepository,
} from './subtasks.repository';

/** The message a stored version is announced with, as the worker builds it (fields opaque here). */
const announce: OutboxAnnouncement = {
  topic: 'SUBTASK_RESULT_UPLOADED',
  key: 'k',
  headers: { 'x-request-id': 'r' },
  payload: { outcome: 'STORED', resultVersion: null },
};

const versionOf = (message: PendingOutboxMessage) =>
  (message.payload as { resultVersion: number }).resultVersion;

describe('SubtasksRepository (real PostgreSQL)', () => {
  let database: TemporaryDatabase;
  let prisma: PrismaService;
  let repository: SubtasksRepository;

  beforeAll(async () => {
    database = await createMigratedDatabase();
    prisma = new PrismaService(database.url);
    await prisma.onModuleInit();
    repository = new SubtasksRepository(prisma);
  });

  /** The stored versions of a subtask, read past the repository (which only the apps' needs shape). */
  const storedResults = (subtaskId: string) =>
    prisma.subtaskResult.findMany({
      where: { subtaskId },
      orderBy: { version: 'asc' },
    });

  afterAll(async () => {
    await prisma?.$disconnect();
    await database?.drop();
  });

  it('creates a subtask with the flag down and no result', async () => {
    const subtask = await repository.create('label 10 images');
    expect(subtask).toMatchObject({
      title: 'label 10 images',
      uploading: false,
      submitted: false,
      resultVersion: null,
      lastOutcome: null,
    });
    expect(await repository.findById(subtask.id)).toEqual(subtask);
    expect(await repository.findById(randomUUID())).toBeNull();
  });

  it('lets exactly one of 20 concurrent callers begin an upload', async () => {
    const subtask = await repository.create('race');
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        repository.beginUpload(subtask.id, randomUUID(), new Date()),
      ),
    );
    const winners = results.filter((r) => r.status === 'started');
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.status === 'in-flight')).toHaveLength(19);
    const stored = await repository.findById(subtask.id);
    expect(stored?.uploading).toBe(true);
    expect(
      winners[0]?.status === 'started' && winners[0].subtask.uploadRequestId,
    ).toBe(stored?.uploadRequestId);
  });

  it('reports not-found when beginning an upload of an unknown subtask', async () => {
    expect(
      await repository.beginUpload(randomUUID(), randomUUID(), new Date()),
    ).toEqual({
      status: 'not-found',
    });
  });

  it('clears the flag only for the request in flight', async () => {
    const subtask = await repository.create('stale reply');
    const first = randomUUID();
    const second = randomUUID();
    await repository.beginUpload(subtask.id, first, new Date());
    expect(
      (
        await repository.finishUpload({
          subtaskId: subtask.id,
          requestId: first,
          outcome: 'STORED',
        })
      ).status,
    ).toBe('cleared');
    await repository.beginUpload(subtask.id, second, new Date());

    const staleCleared = (
      await repository.finishUpload({
        subtaskId: subtask.id,
        requestId: first,
        outcome: 'STORED',
      })
    ).status;
    expect(staleCleared).toBe('ignored');
    expect((await repository.findById(subtask.id))?.uploading).toBe(true);

    expect(
      (
        await repository.finishUpload({
          subtaskId: subtask.id,
          requestId: second,
          outcome: 'REJECTED',
          error: 'nothing to upload',
        })
      ).status,
    ).toBe('cleared');
    expect(await repository.findById(subtask.id)).toMatchObject({
      uploading: false,
      lastOutcome: 'REJECTED',
      lastError: 'nothing to upload',
    });
  });

  it('says when the flag it cleared was set, and counts the flags set', async () => {
    const subtask = await repository.create('timed flag');
    const requestId = randomUUID();
    const startedAt = new Date(Date.now() - 1_234);
    const before = await repository.uploadsInFlight();
    const begun = await repository.beginUpload(
      subtask.id,
      requestId,
      startedAt,
    );
    // The row the begin statement returns is the row as read back, every field.
    expect(begun).toEqual({
      status: 'started',
      subtask: await repository.findById(subtask.id),
    });
    expect(await repository.uploadsInFlight()).toBe(before + 1);

    expect(
      await repository.finishUpload({
        subtaskId: subtask.id,
        requestId,
        outcome: 'STORED',
      }),
    ).toEqual({ status: 'cleared', startedAt });
    expect(await repository.uploadsInFlight()).toBe(before);
  });

  it('expires only flags older than the deadline and records the timeout', async () => {
    const old = await repository.create('old upload');
    const fresh = await repository.create('fresh upload');
    const oldRequest = randomUUID();
    const oldStartedAt = new Date(Date.now() - 60_000);
    await repository.beginUpload(old.id, oldRequest, oldStartedAt);
    await repository.beginUpload(fresh.id, randomUUID(), new Date());

    const expired = await repository.expireUploads(
      new Date(Date.now() - 30_000),
      'no reply within 30s',
    );
    expect(expired).toContainEqual({
      subtaskId: old.id,
      requestId: oldRequest,
      startedAt: oldStartedAt,
    });
    expect(expired.map((e) => e.subtaskId)).not.toContain(fresh.id);
    expect(await repository.findById(old.id)).toMatchObject({
      uploading: false,
      lastOutcome: 'TIMED_OUT',
      lastError: 'no reply within 30s',
    });
    expect((await repository.findById(fresh.id))?.uploading).toBe(true);
  });

  it('stores a result once per request id and keeps resultVersion at the latest', async () => {
    const subtask = await repository.create('results');
    const requestId = randomUUID();
    const store = { subtaskId: subtask.id, requestId, isWorkerComplete: false };

    expect(await repository.storeResult(store, announce)).toEqual({
      status: 'stored',
      version: 1,
    });
    expect(await repository.storeResult(store, announce)).toEqual({
      status: 'already-stored',
      version: 1,
    });
    expect(
      await repository.storeResult(
        { ...store, requestId: randomUUID(), isWorkerComplete: true },
        announce,
      ),
    ).toEqual({ status: 'stored', version: 2 });

    expect(await repository.findById(subtask.id)).toMatchObject({
      resultVersion: 2,
      submitted: true,
    });
    expect((await storedResults(subtask.id)).map((r) => r.version)).toEqual([
      1, 2,
    ]);
  });

  it('keeps versions dense when different and duplicate requests race', async () => {
    const subtask = await repository.create('concurrent results');
    const ids = Array.from({ length: 8 }, () => randomUUID());
    const outcomes = await Promise.all(
      [...ids, ...ids].map((requestId) =>
        repository.storeResult(
          { subtaskId: subtask.id, requestId, isWorkerComplete: false },
          announce,
        ),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'stored')).toHaveLength(8);
    expect(outcomes.filter((o) => o.status === 'already-stored')).toHaveLength(
      8,
    );
    const versions = (await storedResults(subtask.id)).map((r) => r.version);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await repository.findById(subtask.id))?.resultVersion).toBe(8);
  });

  it('refuses a result for an unknown subtask', async () => {
    expect(
      await repository.storeResult(
        {
          subtaskId: randomUUID(),
          requestId: randomUUID(),
          isWorkerComplete: false,
        },
        announce,
      ),
    ).toEqual({ status: 'no-such-subtask' });
  });

  it('keeps stored results append-only', async () => {
    const subtask = await repository.create('immutable');
    await repository.storeResult(
      {
        subtaskId: subtask.id,
        requestId: randomUUID(),
        isWorkerComplete: false,
      },
      announce,
    );
    await expect(
      prisma.subtaskResult.updateMany({
        where: { subtaskId: subtask.id },
        data: { isWorkerComplete: true },
      }),
    ).rejects.toThrow(/append-only/);
    await expect(
      prisma.subtaskResult.deleteMany({ where: { subtaskId: subtask.id } }),
    ).rejects.toThrow(/append-only/);
  });

  describe('the transactional outbox', () => {
    beforeEach(() => prisma.outboxMessage.deleteMany());

    it('writes the stored version and its announcement in one statement, with the version it chose, and neither when it fails', async () => {
      const subtask = await repository.create('outbox');
      const other = await repository.create('outbox, other subtask');
      const requestId = randomUUID();

      await repository.storeResult(
        { subtaskId: subtask.id, requestId, isWorkerComplete: false },
        announce,
      );
      await repository.storeResult(
        { subtaskId: subtask.id, requestId, isWorkerComplete: false },
        announce,
      );
      // The same request id for another subtask is refused: no version, no announcement.
      await expect(
        repository.storeResult(
          { subtaskId: other.id, requestId, isWorkerComplete: false },
          announce,
        ),
      ).rejects.toThrow();
      expect(await storedResults(other.id)).toEqual([]);

      const rows = await prisma.outboxMessage.findMany();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        requestId,
        topic: 'SUBTASK_RESULT_UPLOADED',
        messageKey: 'k',
        headers: { 'x-request-id': 'r' },
        payload: { outcome: 'STORED', resultVersion: 1 },
        value: null,
        publishedAt: null,
      });
    });

    it('relays in the order written, marks what was published, and keeps what failed', async () => {
      const subtask = await repository.create('relay');
      const ids = [randomUUID(), randomUUID(), randomUUID()];
      for (const requestId of ids)
        await repository.storeResult(
          { subtaskId: subtask.id, requestId, isWorkerComplete: false },
          announce,
        );

      await expect(
        repository.relayOutbox(
          10,
          () => Promise.reject(new Error('broker down')),
          5_000,
        ),
      ).rejects.toThrow('broker down');
      expect(await repository.outboxBacklog()).toBe(3);

      const published: PendingOutboxMessage[] = [];
      expect(
        await repository.relayOutbox(
          2,
          async (batch) => void published.push(...batch),
          5_000,
        ),
      ).toBe(2);
      expect(
        await repository.relayOutbox(
          2,
          async (batch) => void published.push(...batch),
          5_000,
        ),
      ).toBe(1);
      expect(published.map((m) => m.requestId)).toEqual(ids);
      expect(published.map(versionOf)).toEqual([1, 2, 3]);
      expect(published.map((m) => m.value)).toEqual([null, null, null]);
      expect(await repository.outboxBacklog()).toBe(0);
      expect(await repository.pruneOutbox(new Date(Date.now() + 1_000))).toBe(
        3,
      );
    });

    it('lets one relay at a time publish, across connections', async () => {
      const subtask = await repository.create('one relay');
      await repository.storeResult(
        {
          subtaskId: subtask.id,
          requestId: randomUUID(),
          isWorkerComplete: false,
        },
        announce,
      );
      const other = new PrismaService(database.url);
      await other.onModuleInit();
      try {
        let release!: () => void;
        const holding = new Promise<void>((resolve) => (release = resolve));
        const first = repository.relayOutbox(10, () => holding, 10_000);
        await new Promise((resolve) => setTimeout(resolve, 300));
        const second = await new SubtasksRepository(other).relayOutbox(
          10,
          async () => undefined,
          10_000,
        );
        release();
        expect(second).toBe(0);
        expect(await first).toBe(1);
      } finally {
        await other.$disconnect();
      }
    });
  });

  it('records the true outcome of an upload the reconciler timed out, without setting the flag', async () => {
    const subtask = await repository.create('late truth');
    const requestId = randomUUID();
    await repository.beginUpload(
      subtask.id,
      requestId,
      new Date(Date.now() - 60_000),
    );
    await repository.expireUploads(new Date(), 'too slow');
    expect(
      (
        await repository.finishUpload({
          subtaskId: subtask.id,
          requestId,
          outcome: 'STORED',
        })
      ).status,
    ).toBe('ignored');
    expect(
      (
        await repository.finishUpload({
          subtaskId: subtask.id,
          requestId,
          outcome: 'STORED',
          correctsTimeout: true,
        })
      ).status,
    ).toBe('corrected');
    expect(await repository.findById(subtask.id)).toMatchObject({
      uploading: false,
      lastOutcome: 'STORED',
      lastError: null,
    });
    expect(
      (
        await repository.finishUpload({
          subtaskId: subtask.id,
          requestId,
          outcome: 'ALREADY_STORED',
          correctsTimeout: true,
        })
      ).status,
    ).toBe('ignored');
  });

  describe('idempotency keys', () => {
    const key = { key: 'client-key-1', fingerprint: 'f1' };

    it('begins one upload per key; a retry gets the same request id, other content is told apart', async () => {
      const subtask = await repository.create('keyed');
      const first = randomUUID();
      const began = await repository.beginUploadOnce(
        subtask.id,
        first,
        new Date(),
        key,
      );
      expect(began.status).toBe('started');
      expect(
        await repository.beginUploadOnce(
          subtask.id,
          randomUUID(),
          new Date(),
          key,
        ),
      ).toEqual({ status: 'replay', requestId: first, sameRequest: true });
      expect(
        await repository.beginUploadOnce(subtask.id, randomUUID(), new Date(), {
          ...key,
          fingerprint: 'other',
        }),
      ).toEqual({ status: 'replay', requestId: first, sameRequest: false });
      expect(await repository.uploadState(subtask.id, first)).toEqual({
        inFlight: true,
        storedVersion: null,
        lastOutcome: null,
        lastError: null,
      });
    });

    it('records no key when the upload does not begin, and forgets a released one', async () => {
      const subtask = await repository.create('keyed busy');
      await repository.beginUpload(subtask.id, randomUUID(), new Date());
      const busy = await repository.beginUploadOnce(
        subtask.id,
        randomUUID(),
        new Date(),
        key,
      );
      expect(busy.status).toBe('in-flight');
      expect(
        await prisma.idempotencyKey.count({ where: { subtaskId: subtask.id } }),
      ).toBe(0);
      expect(
        (
          await repository.beginUploadOnce(
            randomUUID(),
            randomUUID(),
            new Date(),
            key,
          )
        ).status,
      ).toBe('not-found');

      const other = await repository.create('released');
      await repository.beginUploadOnce(other.id, randomUUID(), new Date(), key);
      await repository.releaseUploadKey(other.id, key.key);
      expect(
        await prisma.idempotencyKey.count({ where: { subtaskId: other.id } }),
      ).toBe(0);
    });

    it('says where a keyed upload stands once stored', async () => {
      const subtask = await repository.create('keyed stored');
      const requestId = randomUUID();
      await repository.beginUploadOnce(subtask.id, requestId, new Date(), key);
      await repository.storeResult(
        { subtaskId: subtask.id, requestId, isWorkerComplete: false },
        announce,
      );
      await repository.finishUpload({
        subtaskId: subtask.id,
        requestId,
        outcome: 'STORED',
      });
      expect(await repository.uploadState(subtask.id, requestId)).toEqual({
        inFlight: false,
        storedVersion: 1,
        lastOutcome: 'STORED',
        lastError: null,
      });
      expect(await repository.uploadState(randomUUID(), requestId)).toBeNull();
      expect(
        await repository.pruneUploadKeys(new Date(Date.now() + 1_000)),
      ).toBeGreaterThan(0);
    });
  });
});
