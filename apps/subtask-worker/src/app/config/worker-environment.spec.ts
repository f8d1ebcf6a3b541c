import { parseEnvironment } from '@subtasks/config';
import { workerEnvironment } from './worker-environment';

describe('workerEnvironment', () => {
  it('serves its health endpoint on 127.0.0.1:3001 by default', () => {
    const env = parseEnvironment(workerEnvironment, {});
    expect([env.HOST, env.WORKER_HEALTH_PORT]).toEqual(['127.0.0.1', 3001]);
  });

  it('names WORKER_HEALTH_PORT when it is out of range', () => {
    expect(() =>
      parseEnvironment(workerEnvironment, { WORKER_HEALTH_PORT: '0' }),
    ).toThrow(/WORKER_HEALTH_PORT: .*\(got "0"\)/);
  });
});
