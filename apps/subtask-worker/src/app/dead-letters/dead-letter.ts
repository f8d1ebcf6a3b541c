import { CONTRACT_CLASSES } from '@subtasks/contracts';
import type { IHeaders } from 'kafkajs';

/** Headers a dead-letter record carries, so an operator can tell why and replay from where. */
export const DEAD_LETTER_HEADERS = {
  reason: 'x-dead-letter-reason',
  code: 'x-dead-letter-code',
  sourceTopic: 'x-dead-letter-source-topic',
  sourcePartition: 'x-dead-letter-source-partition',
  sourceOffset: 'x-dead-letter-source-offset',
  failedAt: 'x-dead-letter-failed-at',
} as const;

/** A consumed message that will not be processed, exactly as it arrived, and why. */
export interface DeadLetter {
  sourceTopic: string;
  partition: number | undefined;
  offset: string | undefined;
  key: string | Buffer | null;
  value: Buffer | null;
  headers: Readonly<Record<string, unknown>>;
  code: string;
  reason: string;
}

/** The catalogue's dead-letter topic for messages consumed from `topic`. */
export function deadLetterTopicFor(topic: string): string {
  for (const contract of CONTRACT_CLASSES) {
    if (contract.topic === topic && 'deadLetterTopic' in contract) {
      return contract.deadLetterTopic;
    }
  }
  throw new Error(`the catalogue declares no dead-letter topic for ${topic}`);
}

export function deadLetterHeaders(letter: DeadLetter, now: Date): IHeaders {
  const original: IHeaders = {};
  for (const [name, value] of Object.entries(letter.headers)) {
    if (typeof value === 'string' || Buffer.isBuffer(value))
      original[name] = value;
  }
  return {
    ...original,
    [DEAD_LETTER_HEADERS.reason]: letter.reason,
    [DEAD_LETTER_HEADERS.code]: letter.code,
    [DEAD_LETTER_HEADERS.sourceTopic]: letter.sourceTopic,
    [DEAD_LETTER_HEADERS.sourcePartition]: String(letter.partition ?? ''),
    [DEAD_LETTER_HEADERS.sourceOffset]: letter.offset ?? '',
    [DEAD_LETTER_HEADERS.failedAt]: now.toISOString(),
  };
}
