import { sleep } from '../../support/app-process';
import {
  noMagicByte,
  recordOfAnotherSchema,
  sendPoison,
  unknownSchemaId,
} from '../support/poison';
import type { Scenario } from '../support/scenario';
import { refuseWrites } from '../support/dead-letter-topic';
import { TOPICS } from '../support/topics';

const REFUSED_MS = 10_000;

/**
 * The dead-letter topic refusing every write (its max.message.bytes made tiny) while poison
 * arrives: the poison is parked once writes are accepted again, good uploads go on.
 */
export const deadLetterRefused: Scenario = {
  name: 'dead-letter topic refuses',
  async inject({ afterAnswers, sentPoison }) {
    await afterAnswers(300);
    const restore = await refuseWrites(TOPICS.deadLetters);
    let back: number;
    const poisons = [
      noMagicByte(),
      unknownSchemaId(),
      await recordOfAnotherSchema(),
    ];
    try {
      await sendPoison(poisons);
      await sleep(REFUSED_MS);
    } finally {
      back = Date.now();
      await restore();
    }
    sentPoison(poisons.map((p) => ({ ...p, parkedNotBefore: back })));
  },
};
