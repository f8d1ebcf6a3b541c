import type { Scenario } from '../support/scenario';

/**
 * kill -9 of the api mid-load, restarted at once on the same port. Its uploads in flight are
 * settled by the worker's events, or by the reconciler (short deadline here).
 */
export const apiKill: Scenario = {
  name: 'api kill -9',
  crash: true,
  apiKilled: true,
  recoveryLimitSeconds: 10,
  settings: {
    api: {
      UPLOAD_REPLY_TIMEOUT_MS: '2000',
      UPLOAD_DEADLINE_MS: '4000',
      RECONCILE_INTERVAL_MS: '500',
    },
  },
  async inject({ system, afterAnswers, restarted }) {
    await afterAnswers(300);
    await system.kill('api');
    restarted({ from: Date.now(), measure: 'new-upload' });
    await system.startApi();
  },
};
