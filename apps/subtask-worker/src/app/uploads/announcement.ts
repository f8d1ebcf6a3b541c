import {
  SubtaskResultUploaded,
  type UploadSubtaskResult,
} from '@subtasks/contracts';
import {
  type ContractSerde,
  contractFromOutboxPayload,
  correlationHeadersOf,
  currentTraceHeaders,
  outboxPayloadOf,
  type PendingRecord,
} from '@subtasks/messaging';
import type { OutboxAnnouncement } from '@subtasks/subtasks-db';

/**
 * The completion event of an upload, as the outbox row the storing statement writes: the event's
 * fields (validated now, `resultVersion` still null), which the statement completes with the
 * version it chose (a plain number), and which the relay encodes when it publishes.
 */
export function announcementOf(
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
