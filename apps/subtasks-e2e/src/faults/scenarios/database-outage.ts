import { sleep } from '../../support/app-process';
import {
  allowConnections,
  refuseConnections,
} from '../../support/database-admin';
import type { Scenario } from '../support/scenario';

const OUTAGE_MS = 10_000;

/** The scenario's database refusing connections for 10 s (the server itself keeps running). */
export const databaseOutage: Scenario = {
  name: 'database refuses 10 s',
  async inject({ afterAnswers, databaseUrl, restarted }) {
    await afterAnswers(300);
    await refuseConnections(databaseUrl);
    try {
      await sleep(OUTAGE_MS);
    } finally {
      await allowConnections(databaseUrl);
    }
    restarted({ from: Date.now(), measure: 'any-store' });
  },
};
