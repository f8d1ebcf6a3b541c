import type { Scenario } from '../support/scenario';
import { killKafka, restoreStack } from '../support/stack-faults';

/** kill -9 of the default stack's only broker mid-load, started again at once. */
export const brokerKill: Scenario = {
  name: 'broker kill -9',
  crash: true,
  tailMs: 5_000,
  async inject({ afterAnswers, restarted, note }) {
    await afterAnswers(300);
    await killKafka();
    const from = Date.now();
    restarted({ from, measure: 'new-upload' });
    await restoreStack();
    note(
      `broker ready ${((Date.now() - from) / 1000).toFixed(1)} s after its restart`,
    );
  },
};
