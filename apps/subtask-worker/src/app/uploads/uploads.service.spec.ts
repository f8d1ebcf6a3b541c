import type { ConfigService } from '@nestjs/config';
import {
  SubtaskResultUploaded,
  UploadSubtaskResult,
} from '@subtasks/contracts';
import type {
  StoreResultOutcome,
  SubtasksRepository,
} from '@subtasks/subtasks-db';
import type { PinoLogger } from 'nestjs-pino';
import type { WorkerEnvironment } from '../config/worker-environment';
import type { CompletionPublisher } from './completion-publisher';
import { RetryPolicy } from './retry-policy';
import { UploadsService } from './uploads.service';

const logger = {
  info: jest.fn(),
  warn: jest.fn(),
  error: jest.fn(),
} as unknown as PinoLogger;
const config = {
  get: (name: string) =>
    ({ WORKER_RETRY_ATTEMPTS: 3, WORKER_RETRY_BASE_MS: 1 })[name],
} as unknown as ConfigService<WorkerEnvironment, true>;

function setup(storeResult: () => Promise<StoreResultOutcome>) {
  const published: SubtaskResultUploaded[] = [];
  const publish = jest.fn(async (event: SubtaskResultUploaded) => {
    published.push(event);
  });
  const repository = { storeResult: jest.fn(storeResult) };
  const service = new UploadsService(
    repository as unknown as SubtasksRepository,
    { publish } as CompletionPublisher,
    new RetryPolicy(config, logger),
    logger,
  );
  return { service, repository, published, publish };
}

const command = new UploadSubtaskResult({
  subtaskId: 'subtask-1',
  requestId: 'request-1',
  isWorkerComplete: true,
  requestedAt: new Date('2026-11-26T00:00:00Z'),
});

describe('UploadsService', () => {
  it('stores, announces the stored version once, and replies STORED', async () => {
    const { service, published, repository } = setup(async () => ({
      status: 'stored',
      version: 4,
    }));
    const reply = await service.uploadSubtaskResult(command);

    expect(repository.storeResult).toHaveBeenCalledWith({
      subtaskId: 'subtask-1',
      requestId: 'request-1',
      isWorkerComplete: true,
    });
    expect(reply).toMatchObject({
      requestId: 'request-1',
      outcome: 'STORED',
      resultVersion: 4,
      reason: null,
    });
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      requestId: 'request-1',
      subtaskId: 'subtask-1',
      outcome: 'STORED',
      resultVersion: 4,
      isWorkerComplete: true,
    });
    expect(() => published[0]?.validate()).not.toThrow();
  });

  it('replies ALREADY_STORED with the same version to a duplicate, without a second event', async () => {
    const { service, published } = setup(async () => ({
      status: 'already-stored',
      version: 4,
    }));
    const reply = await service.uploadSubtaskResult(command);
    expect(reply).toMatchObject({
      outcome: 'ALREADY_STORED',
      resultVersion: 4,
    });
    expect(published).toHaveLength(0);
  });

  it('refuses an unknown subtask with a normal reply that says why', async () => {
    const { service, published } = setup(async () => ({
      status: 'no-such-subtask',
    }));
    const reply = await service.uploadSubtaskResult(command);
    expect(reply).toMatchObject({
      outcome: 'REJECTED',
      resultVersion: null,
      reason: 'subtask subtask-1 does not exist',
    });
    expect(published).toHaveLength(0);
  });

  it('retries a transient database failure and then succeeds', async () => {
    let calls = 0;
    const { service } = setup(async () => {
      calls += 1;
      if (calls < 3) throw new Error('connection refused');
      return { status: 'stored', version: 1 };
    });
    await expect(service.uploadSubtaskResult(command)).resolves.toMatchObject({
      outcome: 'STORED',
    });
    expect(calls).toBe(3);
  });

  it('gives up after the configured attempts with the last error', async () => {
    const { service, repository } = setup(async () => {
      throw new Error('database down');
    });
    await expect(service.uploadSubtaskResult(command)).rejects.toThrow(
      'database down',
    );
    expect(repository.storeResult).toHaveBeenCalledTimes(3);
  });

  it('retries the completion event until the broker takes it', async () => {
    const { service, publish } = setup(async () => ({
      status: 'stored',
      version: 1,
    }));
    publish.mockRejectedValueOnce(new Error('broker restarting'));
    await service.uploadSubtaskResult(command);
    expect(publish).toHaveBeenCalledTimes(2);
  });
});
