import type { ConfigService } from '@nestjs/config';
import {
  UploadSubtaskResult,
  UploadSubtaskResultReply,
} from '@subtasks/contracts';
import { Metrics } from '@subtasks/config';
import type {
  FinishUploadResult,
  SubtaskRecord,
  SubtasksRepository,
} from '@subtasks/subtasks-db';
import type { PinoLogger } from 'nestjs-pino';
import type { ApiEnvironment } from '../config/api-environment';
import {
  type ContractClient,
  type DispatchedCommand,
  MessagingError,
  type SendOptions,
} from '@subtasks/messaging';
import {
  IdempotencyKeyReusedError,
  SubtaskNotFoundError,
  UploadInFlightError,
  UploadNotPublishedError,
} from './subtask.errors';
import { SubtasksService } from './subtasks.service';
import { UploadMetrics } from './upload-metrics';

const subtask = (overrides: Partial<SubtaskRecord> = {}): SubtaskRecord => ({
  id: 'subtask-1',
  title: 't',
  submitted: false,
  uploading: true,
  uploadRequestId: 'request-in-flight',
  uploadStartedAt: new Date(),
  lastOutcome: null,
  lastError: null,
  resultVersion: null,
  createdAt: new Date(),
  updatedAt: new Date(),
  ...overrides,
});

function setup(
  dispatch: (
    command: UploadSubtaskResult,
  ) => Promise<DispatchedCommand<UploadSubtaskResultReply>>,
) {
  const repository = {
    beginUpload: jest.fn(async () => ({
      status: 'started',
      subtask: subtask(),
    })),
    finishUpload: jest.fn(
      async (): Promise<FinishUploadResult> => ({
        status: 'cleared',
        startedAt: new Date(Date.now() - 50),
      }),
    ),
    expireUploads: jest.fn(async () => []),
    pruneUploadKeys: jest.fn(async () => 0),
    releaseUploadKey: jest.fn(async () => undefined),
    beginUploadOnce: jest.fn(async () => ({
      status: 'started',
      subtask: subtask(),
    })),
    uploadState: jest.fn(),
    findById: jest.fn(),
    create: jest.fn(),
  };
  const sent: UploadSubtaskResult[] = [];
  const timeouts: (number | undefined)[] = [];
  const messaging = {
    dispatch: (command: UploadSubtaskResult, options: SendOptions) => {
      sent.push(command);
      timeouts.push(options.timeoutMs);
      return dispatch(command);
    },
  };
  const config = { get: jest.fn(() => 60_000) };
  const logger = {
    debug: jest.fn(),
    info: jest.fn(),
    warn: jest.fn(),
    error: jest.fn(),
  };
  const metrics = new Metrics();
  const service = new SubtasksService(
    repository as unknown as SubtasksRepository,
    messaging as unknown as ContractClient,
    config as unknown as ConfigService<ApiEnvironment, true>,
    logger as unknown as PinoLogger,
    new UploadMetrics(metrics, repository as unknown as SubtasksRepository),
  );
  /** One series' value from the app's registry, as Prometheus would scrape it (`…_count` and `…_sum` of histograms too). */
  const metric = async (name: string, labels: Record<string, string> = {}) => {
    const family = name.replace(/_(count|sum)$/, '');
    const found = await (
      metrics.registry.getSingleMetric(name) ??
      metrics.registry.getSingleMetric(family)
    )?.get();
    return (
      found?.values.find(
        (v) =>
          ((v as { metricName?: string }).metricName ?? name) === name &&
          Object.entries(labels).every(
            ([key, value]) =>
              (v.labels as Record<string, unknown>)[key] === value,
          ),
      )?.value ?? 0
    );
  };
  return { service, repository, sent, timeouts, config, metric };
}

const replyTo = (command: UploadSubtaskResult, version = 1) =>
  new UploadSubtaskResultReply({
    requestId: command.requestId,
    subtaskId: command.subtaskId,
    outcome: 'STORED',
    resultVersion: version,
    reason: null,
  });

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('SubtasksService.queueUploadResult', () => {
  it('sets the flag with a fresh request id and publishes a valid command', async () => {
    const { service, repository, sent, timeouts, config } = setup(async () => ({
      reply: new Promise(() => undefined),
    }));
    const queued = await service.queueUploadResult({
      subtaskId: 'subtask-1',
      isWorkerComplete: true,
    });

    expect(queued.status).toBe('accepted');
    expect(repository.beginUpload).toHaveBeenCalledWith(
      'subtask-1',
      queued.requestId,
      expect.any(Date),
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      subtaskId: 'subtask-1',
      isWorkerComplete: true,
      requestId: queued.requestId,
    });
    expect(() => sent[0]?.validate()).not.toThrow();
    // The reply is awaited for the configured time.
    expect(config.get).toHaveBeenCalledWith('UPLOAD_REPLY_TIMEOUT_MS', {
      infer: true,
    });
    expect(timeouts).toEqual([60_000]);
    expect(repository.finishUpload).not.toHaveBeenCalled();
  });

  it('gives each upload its own request id', async () => {
    const { service } = setup(async () => ({
      reply: new Promise(() => undefined),
    }));
    const a = await service.queueUploadResult({ subtaskId: 'subtask-1' });
    const b = await service.queueUploadResult({ subtaskId: 'subtask-1' });
    expect(a.requestId).not.toBe(b.requestId);
  });

  it('refuses an unknown subtask without publishing', async () => {
    const { service, repository, sent } = setup(async () => ({
      reply: new Promise(() => undefined),
    }));
    repository.beginUpload.mockResolvedValueOnce({
      status: 'not-found',
    } as never);
    await expect(
      service.queueUploadResult({ subtaskId: 'nope' }),
    ).rejects.toBeInstanceOf(SubtaskNotFoundError);
    expect(sent).toHaveLength(0);
  });

  it('answers a concurrent upload with the request id in flight, without publishing', async () => {
    const { service, repository, sent } = setup(async () => ({
      reply: new Promise(() => undefined),
    }));
    repository.beginUpload.mockResolvedValueOnce({
      status: 'in-flight',
      subtask: subtask(),
    } as never);
    const attempt = service.queueUploadResult({ subtaskId: 'subtask-1' });
    await expect(attempt).rejects.toBeInstanceOf(UploadInFlightError);
    await expect(attempt).rejects.toMatchObject({
      inFlightRequestId: 'request-in-flight',
    });
    expect(sent).toHaveLength(0);
  });

  it('puts the flag back and reports 503 when Kafka certainly did not take the command', async () => {
    const { service, repository } = setup(async () => {
      throw new MessagingError('PUBLISH_REFUSED', 'broker refused it');
    });
    const attempt = service.queueUploadResult({ subtaskId: 'subtask-1' });
    await expect(attempt).rejects.toBeInstanceOf(UploadNotPublishedError);
    expect(repository.finishUpload).toHaveBeenCalledWith(
      expect.objectContaining({
        outcome: 'PUBLISH_FAILED',
        error: 'broker refused it',
        correctsTimeout: false,
      }),
    );
  });

  // Before: a timeout before Kafka's acknowledgement was answered 503 and the flag put back, while
  // Kafka had the command: a client retrying stored a second version.
  it('keeps the flag and accepts when whether Kafka took the command is unknown', async () => {
    const { service, repository } = setup(async () => {
      throw new MessagingError(
        'PUBLISH_UNCONFIRMED',
        'timed out before the ack',
      );
    });
    const queued = await service.queueUploadResult({ subtaskId: 'subtask-1' });
    expect(queued.status).toBe('accepted');
    expect(repository.finishUpload).not.toHaveBeenCalled();
  });

  it('clears the flag of this request when the reply arrives', async () => {
    const { service, repository, metric } = setup(async (command) => ({
      reply: Promise.resolve(replyTo(command, 3)),
    }));
    const queued = await service.queueUploadResult({ subtaskId: 'subtask-1' });
    await flush();
    expect(repository.finishUpload).toHaveBeenCalledWith({
      subtaskId: 'subtask-1',
      requestId: queued.requestId,
      outcome: 'STORED',
      error: null,
      correctsTimeout: true,
    });
    expect(await metric('subtask_uploads_started_total')).toBe(1);
    expect(
      await metric('subtask_uploads_settled_total', {
        outcome: 'STORED',
        source: 'reply',
      }),
    ).toBe(1);
    expect(
      await metric('subtask_upload_flag_duration_seconds_count', {
        source: 'reply',
      }),
    ).toBe(1);
  });

  it('with wait, answers with the outcome of the reply', async () => {
    const { service } = setup(async (command) => ({
      reply: Promise.resolve(replyTo(command, 2)),
    }));
    const queued = await service.queueUploadResult({
      subtaskId: 'subtask-1',
      wait: true,
    });
    expect(queued).toEqual({
      status: 'finished',
      requestId: queued.requestId,
      outcome: 'STORED',
      resultVersion: 2,
      reason: null,
    });
  });

  it('leaves the flag to the event or reconciler when no reply arrives', async () => {
    const { service, repository } = setup(async () => ({
      reply: Promise.reject(new Error('Timeout has occurred')),
    }));
    const queued = await service.queueUploadResult({
      subtaskId: 'subtask-1',
      wait: true,
    });
    expect(queued.status).toBe('accepted');
    expect(repository.finishUpload).not.toHaveBeenCalled();
  });

  it('does not crash when the reply arrives but the database is down', async () => {
    const { service, repository } = setup(async (command) => ({
      reply: Promise.resolve(replyTo(command)),
    }));
    repository.finishUpload.mockRejectedValueOnce(new Error('database down'));
    const queued = await service.queueUploadResult({
      subtaskId: 'subtask-1',
      wait: true,
    });
    expect(queued.status).toBe('accepted');
  });
});

describe('SubtasksService.settleUpload', () => {
  it("writes once when the reply and the event of one upload both arrive: the event after this instance's reply needs no update", async () => {
    const { service, repository, metric } = setup(async (command) => ({
      reply: Promise.resolve(replyTo(command)),
    }));
    const queued = await service.queueUploadResult({
      subtaskId: 'subtask-1',
      wait: true,
    });
    expect(repository.finishUpload).toHaveBeenCalledTimes(1);

    const event = {
      subtaskId: 'subtask-1',
      requestId: queued.requestId,
      outcome: 'STORED' as const,
      source: 'event' as const,
    };
    await expect(service.settleUpload(event)).resolves.toBe(false);
    expect(repository.finishUpload).toHaveBeenCalledTimes(1);
    expect(await metric('subtask_uploads_settled_total')).toBe(1);

    // Another upload's event, or a repeat of this one (after a crash), still reaches the database.
    await service.settleUpload({ ...event, requestId: 'another-request' });
    await service.settleUpload(event);
    expect(repository.finishUpload).toHaveBeenCalledTimes(3);
  });

  it('leaves the event its update when the reply changed nothing (the event came first)', async () => {
    const { service, repository } = setup(async (command) => ({
      reply: Promise.resolve(replyTo(command)),
    }));
    repository.finishUpload.mockResolvedValueOnce({ status: 'ignored' });
    const queued = await service.queueUploadResult({
      subtaskId: 'subtask-1',
      wait: true,
    });
    await service.settleUpload({
      subtaskId: 'subtask-1',
      requestId: queued.requestId,
      outcome: 'STORED',
      source: 'event',
    });
    expect(repository.finishUpload).toHaveBeenCalledTimes(2);
  });

  it('reports a stale answer (the repository cleared nothing)', async () => {
    const { service, repository, metric } = setup(async () => ({
      reply: new Promise(() => undefined),
    }));
    repository.finishUpload.mockResolvedValueOnce({ status: 'ignored' });
    await expect(
      service.settleUpload({
        subtaskId: 's',
        requestId: 'old',
        outcome: 'STORED',
        source: 'event',
      }),
    ).resolves.toBe(false);
    expect(await metric('subtask_uploads_settled_total')).toBe(0);
  });

  it('counts a late answer that replaced a timeout as a correction, not a second settlement', async () => {
    const { service, repository, metric } = setup(async () => ({
      reply: new Promise(() => undefined),
    }));
    repository.finishUpload.mockResolvedValueOnce({
      status: 'corrected',
      startedAt: new Date(),
    });
    await expect(
      service.settleUpload({
        subtaskId: 's',
        requestId: 'r',
        outcome: 'STORED',
        source: 'event',
      }),
    ).resolves.toBe(false);
    expect(await metric('subtask_uploads_settled_total')).toBe(0);
    expect(
      await metric('subtask_uploads_corrected_total', {
        outcome: 'STORED',
        source: 'event',
      }),
    ).toBe(1);
  });
});

describe('SubtasksService with an Idempotency-Key', () => {
  it('begins the upload under the key, with a fingerprint of what was asked', async () => {
    const { service, repository } = setup(async () => ({
      reply: new Promise(() => undefined),
    }));
    const queued = await service.queueUploadResult({
      subtaskId: 'subtask-1',
      isWorkerComplete: true,
      idempotencyKey: 'key-1',
    });
    expect(repository.beginUploadOnce).toHaveBeenCalledWith(
      'subtask-1',
      queued.requestId,
      expect.any(Date),
      { key: 'key-1', fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) },
    );
  });

  it('answers a retry with the first request id and publishes nothing', async () => {
    const { service, repository, sent } = setup(async () => ({
      reply: new Promise(() => undefined),
    }));
    repository.beginUploadOnce.mockResolvedValueOnce({
      status: 'replay',
      requestId: 'first',
      sameRequest: true,
    } as never);
    repository.uploadState.mockResolvedValueOnce({
      inFlight: false,
      storedVersion: 3,
      lastOutcome: 'STORED',
      lastError: null,
    });
    await expect(
      service.queueUploadResult({
        subtaskId: 'subtask-1',
        wait: true,
        idempotencyKey: 'key-1',
      }),
    ).resolves.toEqual({
      status: 'finished',
      requestId: 'first',
      outcome: 'STORED',
      resultVersion: 3,
      reason: null,
    });
    expect(sent).toHaveLength(0);
  });

  it('refuses the same key with another body (422)', async () => {
    const { service, repository } = setup(async () => ({
      reply: new Promise(() => undefined),
    }));
    repository.beginUploadOnce.mockResolvedValueOnce({
      status: 'replay',
      requestId: 'first',
      sameRequest: false,
    } as never);
    await expect(
      service.queueUploadResult({
        subtaskId: 'subtask-1',
        idempotencyKey: 'k',
      }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('forgets the key when the publish was refused, so a retry tries again', async () => {
    const { service, repository } = setup(async () => {
      throw new MessagingError('PUBLISH_REFUSED', 'no');
    });
    await expect(
      service.queueUploadResult({
        subtaskId: 'subtask-1',
        idempotencyKey: 'k',
      }),
    ).rejects.toBeInstanceOf(UploadNotPublishedError);
    expect(repository.releaseUploadKey).toHaveBeenCalledWith('subtask-1', 'k');
  });
});

describe('SubtasksService.expireStaleUploads', () => {
  it('times out uploads started before now minus the deadline', async () => {
    const { service, repository, metric } = setup(async () => ({
      reply: new Promise(() => undefined),
    }));
    repository.expireUploads.mockResolvedValueOnce([
      {
        subtaskId: 's',
        requestId: 'r',
        startedAt: new Date('2026-01-01T00:00:00Z'),
      },
    ] as never);
    const now = new Date('2026-01-01T00:01:00Z');
    await expect(service.expireStaleUploads(now)).resolves.toBe(1);
    expect(
      await metric('subtask_uploads_settled_total', {
        outcome: 'TIMED_OUT',
        source: 'reconciler',
      }),
    ).toBe(1);
    expect(
      await metric('subtask_upload_flag_duration_seconds_sum', {
        source: 'reconciler',
      }),
    ).toBe(60);
    expect(repository.expireUploads).toHaveBeenCalledWith(
      new Date('2026-01-01T00:00:00Z'),
      'no reply or completion event within 60000 ms',
    );
  });
});
