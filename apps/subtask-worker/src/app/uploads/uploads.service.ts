import { Injectable } from '@nestjs/common';
import {
  SubtaskResultUploaded,
  UploadSubtaskResult,
  UploadSubtaskResultReply,
} from '@subtasks/contracts';
import {
  SubtasksRepository,
  type StoreResultOutcome,
} from '@subtasks/subtasks-db';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { CompletionPublisher } from './completion-publisher';
import { RetryPolicy } from './retry-policy';

/**
 * The worker's job: store one immutable result version per request id, announce each stored
 * version once, and answer. A missing subtask is a normal reply (REJECTED), not an error.
 */
@Injectable()
export class UploadsService {
  constructor(
    private readonly repository: SubtasksRepository,
    private readonly completions: CompletionPublisher,
    private readonly retry: RetryPolicy,
    @InjectPinoLogger(UploadsService.name) private readonly logger: PinoLogger,
  ) {}

  async uploadSubtaskResult(
    command: UploadSubtaskResult,
  ): Promise<UploadSubtaskResultReply> {
    const log = { subtaskId: command.subtaskId, requestId: command.requestId };
    const stored = await this.retry.run('store result', log, () =>
      this.repository.storeResult({
        subtaskId: command.subtaskId,
        requestId: command.requestId,
        isWorkerComplete: command.isWorkerComplete,
      }),
    );
    const reply = replyFor(command, stored);
    this.logger.info(
      { ...log, outcome: reply.outcome, resultVersion: reply.resultVersion },
      'upload handled',
    );

    if (stored.status === 'stored') {
      const event = new SubtaskResultUploaded({
        requestId: command.requestId,
        subtaskId: command.subtaskId,
        outcome: reply.outcome,
        resultVersion: reply.resultVersion,
        reason: null,
        isWorkerComplete: command.isWorkerComplete,
        uploadedAt: new Date(),
      });
      await this.retry.run('emit completion event', log, () =>
        this.completions.publish(event),
      );
    }
    return reply;
  }
}

function replyFor(
  command: UploadSubtaskResult,
  stored: StoreResultOutcome,
): UploadSubtaskResultReply {
  const base = { requestId: command.requestId, subtaskId: command.subtaskId };
  switch (stored.status) {
    case 'stored':
      return new UploadSubtaskResultReply({
        ...base,
        outcome: 'STORED',
        resultVersion: stored.version,
        reason: null,
      });
    case 'already-stored':
      return new UploadSubtaskResultReply({
        ...base,
        outcome: 'ALREADY_STORED',
        resultVersion: stored.version,
        reason: null,
      });
    case 'no-such-subtask':
      return new UploadSubtaskResultReply({
        ...base,
        outcome: 'REJECTED',
        resultVersion: null,
        reason: `subtask ${command.subtaskId} does not exist`,
      });
  }
}
