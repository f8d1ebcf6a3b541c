import {
  noMagicByte,
  recordOfAnotherSchema,
  sendPoison,
  unknownSchemaId,
} from '../support/poison';
import type { Scenario } from '../support/scenario';

/** Poison on the command topic mid-load: each kind parked with its reason, the load unaffected. */
export const poisonMessages: Scenario = {
  name: 'poison commands',
  async inject({ afterAnswers, sentPoison }) {
    await afterAnswers(300);
    const poisons = [
      noMagicByte(),
      unknownSchemaId(),
      await recordOfAnotherSchema(),
      noMagicByte(),
      unknownSchemaId(),
      await recordOfAnotherSchema(),
    ];
    await sendPoison(poisons);
    sentPoison(poisons);
  },
};
