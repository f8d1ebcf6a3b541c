import { randomUUID } from 'node:crypto';
import { UploadSubtaskResultReply } from '@subtasks/contracts';
import { frame } from '@subtasks/messaging';
import { PlainProducer } from '../../support/kafka';
import { serde } from './serde';
import { TOPICS } from './topics';

/** A message on the command topic that can never be processed, and the code it must be parked with. */
export interface Poison {
  readonly kind: string;
  readonly value: Buffer;
  readonly expectedCode: string;
}

/** Far above any id the registry hands out. */
const UNKNOWN_SCHEMA_ID = 2_000_000_000;

export function noMagicByte(): Poison {
  return {
    kind: 'no magic byte',
    value: Buffer.from(`poison without a magic byte ${randomUUID()}`),
    expectedCode: 'NO_MAGIC_BYTE',
  };
}

export function unknownSchemaId(): Poison {
  return {
    kind: 'unknown schema id',
    value: frame(
      UNKNOWN_SCHEMA_ID + Math.floor(Math.random() * 1_000_000),
      Buffer.from(randomUUID()),
    ),
    expectedCode: 'UNKNOWN_SCHEMA_ID',
  };
}

/** A valid Confluent frame of the reply's schema, on the command topic. */
export async function recordOfAnotherSchema(): Promise<Poison> {
  const reply = new UploadSubtaskResultReply({
    requestId: randomUUID(),
    subtaskId: randomUUID(),
    outcome: 'STORED',
    resultVersion: 1,
    reason: null,
  });
  return {
    kind: 'record of another schema',
    value: await serde.encode(reply),
    expectedCode: 'SCHEMA_MISMATCH',
  };
}

/** Writes poison to the command topic as a plain Confluent client would (no Nest reply headers). */
export async function sendPoison(poisons: readonly Poison[]): Promise<void> {
  const producer = new PlainProducer();
  await producer.connect();
  try {
    for (const poison of poisons)
      await producer.sendRaw(
        TOPICS.commands,
        poison.value,
        `poison-${randomUUID()}`,
      );
  } finally {
    await producer.disconnect();
  }
}
