import { SubtaskResultUploaded } from '@subtasks/contracts';
import type { ReadRecord } from '../../support/kafka';
import { serde } from './serde';

export interface CompletionEvent {
  readonly requestId: string;
  readonly subtaskId: string;
  readonly resultVersion: number | null;
  readonly outcome: string;
  /** `partition@offset` on the topic, and when it was written (epoch ms). */
  readonly position: string;
  readonly writtenAt: number;
}

export async function decodeEvents(
  records: readonly ReadRecord[],
): Promise<CompletionEvent[]> {
  const events: CompletionEvent[] = [];
  for (const { partition, message } of records) {
    const event = await serde.decode(SubtaskResultUploaded, message.value);
    events.push({
      requestId: event.requestId,
      subtaskId: event.subtaskId,
      resultVersion: event.resultVersion ?? null,
      outcome: event.outcome,
      position: `${partition}@${message.offset}`,
      writtenAt: Number(message.timestamp),
    });
  }
  return events;
}
