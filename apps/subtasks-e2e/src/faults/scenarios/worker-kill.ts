import type { Scenario } from '../support/scenario';

/** kill -9 of the worker mid-load, restarted at once. */
export const workerKill: Scenario = {
  name: 'worker kill -9',
  crash: true,
  recoveryLimitSeconds: 10,
  async inject({ system, afterAnswers, restarted }) {
    await afterAnswers(300);
    await system.kill('subtask-worker');
    const from = Date.now();
    restarted({ from, measure: 'any-store' });
    await system.startWorker();
  },
};
