import { Injectable } from '@nestjs/common';
import {
  UploadSubtaskResult,
  UploadSubtaskResultReply,
} from '@subtasks/contracts';
import { OutboxRelay } from '@subtasks/messaging';
import {
  SubtasksRepository,
  type StoreResultOutcome,
} from '@subtasks/subtasks-db';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { announcementOf } from './announcement';
import { CommitFault } from './commit-fault';
import { assertStorable } from './upload-command';

/**
 * The worker's job: store one immutable result version per request id and, in the same
 * statement, the completion event that announces it (the outbox relay publishes it), then answer
 * with the truth. A missing subtask is a normal reply (REJECTED), not an error. Failures are the
 * messaging failure policy's: transient ones are retried, permanent ones parked.
 */
@Injectable()
export class UploadsService {
  constructor(
    private readonly repository: SubtasksRepository,
    private readonly relay: OutboxRelay,
    private readonly fault: CommitFault,
    @InjectPinoLogger(UploadsService.name) private readonly logger: PinoLogger,
  ) {}

  async uploadSubtaskResult(
    command: UploadSubtaskResult,
  ): Promise<UploadSubtaskResultReply> {
    assertStorable(command);
    const stored = await this.repository.storeResult(
      {
        subtaskId: command.subtaskId,
        requestId: command.requestId,
        isWorkerComplete: command.isWorkerComplete,
      },
      announcementOf(command, new Date()),
    );
    if (stored.status === 'stored') {
      this.fault.afterCommit();
      this.relay.nudge();
    }
    const reply = replyFor(command, stored);
    // The request id is on the line already: the handling runs with the logger bound to it.
    this.logger.info(
      {
        subtaskId: command.subtaskId,
        outcome: reply.outcome,
        resultVersion: reply.resultVersion,
      },
      'upload handled',
    );
    return reply;
  }
}

/** The caller's answer when the command is parked: nothing was stored, and why. */
export function rejectedUpload(
  command: UploadSubtaskResult,
  reason: string,
): UploadSubtaskResultReply {
  return new UploadSubtaskResultReply({
    requestId: command.requestId,
    subtaskId: command.subtaskId,
    outcome: 'REJECTED',
    resultVersion: null,
    reason: `not stored: ${reason}`,
  });
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
