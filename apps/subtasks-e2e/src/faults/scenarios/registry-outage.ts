import { sleep } from '../../support/app-process';
import { sendPoison, unknownSchemaId } from '../support/poison';
import type { Scenario } from '../support/scenario';
import { restoreStack, stopRegistry } from '../support/stack-faults';

const OUTAGE_MS = 10_000;

/**
 * The registry stopped for 10 s. A command with a schema id the worker has not cached arrives
 * meanwhile: its partition must wait (the registry is away, not the id unknown), and it is parked
 * as an unknown schema id only once the registry can say so.
 */
export const registryOutage: Scenario = {
  name: 'registry stopped 10 s',
  async inject({ afterAnswers, sentPoison, note }) {
    await afterAnswers(300);
    await stopRegistry();
    const stoppedAt = Date.now();
    const poison = unknownSchemaId();
    await sendPoison([poison]);
    await sleep(Math.max(0, stoppedAt + OUTAGE_MS - Date.now()));
    const back = Date.now();
    await restoreStack();
    note(
      `registry stopped ${((back - stoppedAt) / 1000).toFixed(1)} s, ready again ${((Date.now() - back) / 1000).toFixed(1)} s later`,
    );
    sentPoison([{ ...poison, parkedNotBefore: back }]);
  },
};
