import {
  SubtaskResultUploaded,
  UploadSubtaskResult,
} from '@subtasks/contracts';
import {
  ContractSerde,
  type OutboxRelay,
  PermanentFailure,
} from '@subtasks/messaging';
import { InMemorySchemaLookup } from '@subtasks/messaging/testing';
import type {
  OutboxAnnouncement,
  StoreResultOutcome,
  SubtasksRepository,
} from '@subtasks/subtasks-db';
import type { PinoLogger } from 'nestjs-pino';
import type { CommitFault } from './commit-fault';
import {
  UploadSubtaskResultHandler,
  announcementEncoder,
  rejectedUpload,
} from './upload-subtask-result.handler';

const logger = { info: jest.fn() } as unknown as PinoLogger;

/**
 * The repository's storeResult, with the announcement it would write in the same statement
 * (`resultVersion` set to the stored version, as store_result_announced does).
 */
function setup(outcome: StoreResultOutcome) {
  const announced: OutboxAnnouncement[] = [];
  const repository = {
    storeResult: jest.fn(
      async (_store: unknown, announcement: OutboxAnnouncement) => {
        if (outcome.status === 'stored')
          announced.push({
            ...announcement,
            payload: {
              ...announcement.payload,
              resultVersion: outcome.version,
            },
          });
        return outcome;
      },
    ),
  };
  const relay = { nudge: jest.fn() };
  const serde = new ContractSerde(
    new InMemorySchemaLookup().add(
      7,
      SubtaskResultUploaded.schemaJson,
      SubtaskResultUploaded.subject,
    ),
  );
  const handler = new UploadSubtaskResultHandler(
    repository as unknown as SubtasksRepository,
    relay as unknown as OutboxRelay,
    { afterCommit: jest.fn() } as unknown as CommitFault,
    logger,
  );
  return { handler, repository, relay, announced, serde };
}

const command = new UploadSubtaskResult({
  subtaskId: 'subtask-1',
  requestId: 'request-1',
  isWorkerComplete: true,
  requestedAt: new Date('2026-11-26T00:00:00Z'),
});

describe('UploadSubtaskResultHandler', () => {
  it('stores with the completion event in the same statement, nudges the relay and replies STORED', async () => {
    const { handler, announced, repository, relay, serde } = setup({
      status: 'stored',
      version: 4,
    });
    const reply = await handler.upload(command);

    expect(repository.storeResult).toHaveBeenCalledWith(
      {
        subtaskId: 'subtask-1',
        requestId: 'request-1',
        isWorkerComplete: true,
      },
      expect.objectContaining({ topic: SubtaskResultUploaded.topic }),
    );
    expect(reply).toMatchObject({
      requestId: 'request-1',
      outcome: 'STORED',
      resultVersion: 4,
      reason: null,
    });
    expect(relay.nudge).toHaveBeenCalledTimes(1);
    expect(announced).toHaveLength(1);
    expect(announced[0]).toMatchObject({
      topic: SubtaskResultUploaded.topic,
      key: 'subtask-1',
      headers: { 'x-request-id': 'request-1' },
    });
    // What the relay publishes for that row.
    const value = await announcementEncoder(serde)({
      ...(announced[0] as OutboxAnnouncement),
      id: 1n,
      requestId: 'request-1',
      value: null,
    });
    const event = await serde.decode(SubtaskResultUploaded, value);
    expect(event).toMatchObject({
      requestId: 'request-1',
      subtaskId: 'subtask-1',
      outcome: 'STORED',
      resultVersion: 4,
      isWorkerComplete: true,
    });
  });

  it('replies ALREADY_STORED with the same version to a duplicate, announcing nothing', async () => {
    const { handler, announced, relay } = setup({
      status: 'already-stored',
      version: 4,
    });
    await expect(handler.upload(command)).resolves.toMatchObject({
      outcome: 'ALREADY_STORED',
      resultVersion: 4,
    });
    expect(announced).toHaveLength(0);
    expect(relay.nudge).not.toHaveBeenCalled();
  });

  it('refuses an unknown subtask with a normal reply that says why', async () => {
    const { handler, announced } = setup({ status: 'no-such-subtask' });
    await expect(handler.upload(command)).resolves.toMatchObject({
      outcome: 'REJECTED',
      resultVersion: null,
      reason: 'subtask subtask-1 does not exist',
    });
    expect(announced).toHaveLength(0);
  });

  it.each([
    ['an empty request id', { requestId: '' }, 'requestId is empty'],
    ['a blank subtask id', { subtaskId: '  ' }, 'subtaskId is empty'],
    [
      'a NUL in the subtask id',
      { subtaskId: 'a\u0000b' },
      'subtaskId holds a NUL character or invalid text',
    ],
  ])(
    'refuses %s for good, before touching the database',
    async (_, change, reason) => {
      const { handler, repository } = setup({ status: 'stored', version: 1 });
      const invalid = new UploadSubtaskResult({ ...command, ...change });
      await expect(handler.upload(invalid)).rejects.toEqual(
        new PermanentFailure('INVALID_COMMAND', reason),
      );
      expect(repository.storeResult).not.toHaveBeenCalled();
    },
  );

  it('answers a parked command REJECTED, saying nothing was stored', () => {
    expect(rejectedUpload(command, 'database refused it')).toMatchObject({
      outcome: 'REJECTED',
      resultVersion: null,
      reason: 'not stored: database refused it',
    });
  });
});
