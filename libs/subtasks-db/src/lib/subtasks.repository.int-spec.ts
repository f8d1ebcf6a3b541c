import { randomUUID } from 'node:crypto';
import {
  createMigratedDatabase,
  type TemporaryDatabase,
} from '../testing/temporary-database';
import { PrismaService } from './prisma.service';
import { SubtasksRepository } from './subtasks.repository';

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

  it('updateMetadata changes the given fields and reports an unknown subtask', async () => {
    const subtask = await repository.create('metadata');
    const updated = await repository.updateMetadata(subtask.id, {
      title: 'renamed',
    });
    expect(updated?.title).toBe('renamed');
    expect(
      await repository.updateMetadata(randomUUID(), { title: 'x' }),
    ).toBeNull();
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
      await repository.finishUpload({
        subtaskId: subtask.id,
        requestId: first,
        outcome: 'STORED',
      }),
    ).toBe(true);
    await repository.beginUpload(subtask.id, second, new Date());

    const staleCleared = await repository.finishUpload({
      subtaskId: subtask.id,
      requestId: first,
      outcome: 'STORED',
    });
    expect(staleCleared).toBe(false);
    expect((await repository.findById(subtask.id))?.uploading).toBe(true);

    expect(
      await repository.finishUpload({
        subtaskId: subtask.id,
        requestId: second,
        outcome: 'REJECTED',
        error: 'nothing to upload',
      }),
    ).toBe(true);
    expect(await repository.findById(subtask.id)).toMatchObject({
      uploading: false,
      lastOutcome: 'REJECTED',
      lastError: 'nothing to upload',
    });
  });

  it('expires only flags older than the deadline and records the timeout', async () => {
    const old = await repository.create('old upload');
    const fresh = await repository.create('fresh upload');
    const oldRequest = randomUUID();
    await repository.beginUpload(
      old.id,
      oldRequest,
      new Date(Date.now() - 60_000),
    );
    await repository.beginUpload(fresh.id, randomUUID(), new Date());

    const expired = await repository.expireUploads(
      new Date(Date.now() - 30_000),
      'no reply within 30s',
    );
    expect(expired).toContainEqual({
      subtaskId: old.id,
      requestId: oldRequest,
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

    expect(await repository.storeResult(store)).toEqual({
      status: 'stored',
      version: 1,
    });
    expect(await repository.storeResult(store)).toEqual({
      status: 'already-stored',
      version: 1,
    });
    expect(
      await repository.storeResult({
        ...store,
        requestId: randomUUID(),
        isWorkerComplete: true,
      }),
    ).toEqual({ status: 'stored', version: 2 });

    expect(await repository.findById(subtask.id)).toMatchObject({
      resultVersion: 2,
      submitted: true,
    });
    expect(
      (await repository.listResults(subtask.id)).map((r) => r.version),
    ).toEqual([1, 2]);
  });

  it('keeps versions dense when different and duplicate requests race', async () => {
    const subtask = await repository.create('concurrent results');
    const ids = Array.from({ length: 8 }, () => randomUUID());
    const outcomes = await Promise.all(
      [...ids, ...ids].map((requestId) =>
        repository.storeResult({
          subtaskId: subtask.id,
          requestId,
          isWorkerComplete: false,
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'stored')).toHaveLength(8);
    expect(outcomes.filter((o) => o.status === 'already-stored')).toHaveLength(
      8,
    );
    const versions = (await repository.listResults(subtask.id)).map(
      (r) => r.version,
    );
    expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await repository.findById(subtask.id))?.resultVersion).toBe(8);
  });

  it('refuses a result for an unknown subtask', async () => {
    expect(
      await repository.storeResult({
        subtaskId: randomUUID(),
        requestId: randomUUID(),
        isWorkerComplete: false,
      }),
    ).toEqual({ status: 'no-such-subtask' });
  });

  it('keeps stored results append-only', async () => {
    const subtask = await repository.create('immutable');
    await repository.storeResult({
      subtaskId: subtask.id,
      requestId: randomUUID(),
      isWorkerComplete: false,
    });
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
});
