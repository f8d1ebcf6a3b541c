import { Controller } from '@nestjs/common';
import {
  SubtaskResultUploaded,
  UploadSubtaskResult,
  UploadSubtaskResultReply,
} from '@subtasks/contracts';
import {
  CommandHandler,
  ContractPayload,
  type ContractSerde,
  OutboxRelay,
  PermanentFailure,
  annotateActiveSpan,
  contractFromOutboxPayload,
  correlationHeadersOf,
  currentTraceHeaders,
  outboxPayloadOf,
  type PendingRecord,
} from '@subtasks/messaging';
import {
  SubtasksRepository,
  type OutboxAnnouncement,
  type StoreResultOutcome,
} from '@subtasks/subtasks-db';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { CommitFault } from './commit-fault';

/**
 * The worker's job, as the handler of the command (`send` + `@MessagePattern`: the return value is
 * the reply): store one immutable result version per request id and, in the same statement, the
 * completion event that announces it (the outbox relay publishes it), then answer with the truth. A
 * missing subtask is a normal reply (REJECTED), not an error. A command from any other Confluent
 * client (no reply headers) is handled the same way; Nest just sends no reply. Failures are the
 * messaging failure policy's: transient ones are retried, permanent ones (a command that can never
 * be stored) parked and answered REJECTED. The event's outbox row, and how the relay encodes it,
 * close this file.
 */
@Controller()
export class UploadSubtaskResultHandler {
  constructor(
    private readonly repository: SubtasksRepository,
    private readonly relay: OutboxRelay,
    private readonly fault: CommitFault,
    @InjectPinoLogger(UploadSubtaskResultHandler.name)
    private readonly logger: PinoLogger,
  ) {}

  @CommandHandler(UploadSubtaskResult, {
    rejectWith: (command, reason) => rejectedUpload(command, reason),
  })
  async upload(
    @ContractPayload() command: UploadSubtaskResult,
  ): Promise<UploadSubtaskResultReply> {
    annotateActiveSpan(uploadAttributes(command));
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

/** The span attributes that name an upload, the same in both apps. */
function uploadAttributes(
  command: UploadSubtaskResult,
): Record<string, string> {
  return {
    'subtask.id': command.subtaskId,
    'upload.request_id': command.requestId,
  };
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

const MAX_ID_LENGTH = 200;

/**
 * The schema lets any string through; the worker's own rules come on top. An empty request id
 * would be an idempotency key shared by every such command; a NUL byte can never be stored. Both
 * are final: the command is parked at once, not retried.
 */
function assertStorable(command: UploadSubtaskResult): void {
  for (const [field, value] of [
    ['subtaskId', command.subtaskId],
    ['requestId', command.requestId],
  ] as const) {
    if (value.trim() === '')
      throw new PermanentFailure('INVALID_COMMAND', `${field} is empty`);
    if (value.length > MAX_ID_LENGTH)
      throw new PermanentFailure(
        'INVALID_COMMAND',
        `${field} is longer than ${MAX_ID_LENGTH} characters`,
      );
    if (value.includes('\u0000') || /\p{Cs}/u.test(value))
      throw new PermanentFailure(
        'INVALID_COMMAND',
        `${field} holds a NUL character or invalid text`,
      );
  }
}

/**
 * The completion event of an upload, as the outbox row the storing statement writes: the event's
 * fields (validated now, `resultVersion` still null), which the statement completes with the
 * version it chose (a plain number), and which the relay encodes when it publishes.
 */
function announcementOf(
  command: UploadSubtaskResult,
  uploadedAt: Date,
): OutboxAnnouncement {
  const event = new SubtaskResultUploaded({
    requestId: command.requestId,
    subtaskId: command.subtaskId,
    outcome: 'STORED',
    resultVersion: null,
    reason: null,
    isWorkerComplete: command.isWorkerComplete,
    uploadedAt,
  });
  return {
    topic: SubtaskResultUploaded.topic,
    key: event.kafkaKey,
    // The trace context too: the relay publishes the event in the trace of the upload.
    headers: { ...currentTraceHeaders(), ...correlationHeadersOf(event) },
    payload: outboxPayloadOf(event),
  };
}

/** The relay's encoder for those rows: the event with its stored version, validated, wire format. */
export function announcementEncoder(
  serde: ContractSerde,
): (record: PendingRecord) => Promise<Buffer> {
  return async (record) => {
    const { resultVersion, ...fields } = record.payload as {
      resultVersion: number;
    };
    const event = contractFromOutboxPayload(SubtaskResultUploaded, {
      ...fields,
      resultVersion: null,
    });
    return serde.encode(new SubtaskResultUploaded({ ...event, resultVersion }));
  };
}
