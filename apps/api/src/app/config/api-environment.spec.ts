import { parseEnvironment } from '@subtasks/config';
import { apiEnvironment } from './api-environment';

describe('apiEnvironment', () => {
  it('serves on 127.0.0.1:3000 by default', () => {
    const env = parseEnvironment(apiEnvironment, {});
    expect([env.HOST, env.PORT]).toEqual(['127.0.0.1', 3000]);
  });

  it('names PORT when it is not a port', () => {
    expect(() => parseEnvironment(apiEnvironment, { PORT: 'eighty' })).toThrow(
      /PORT: .*\(got "eighty"\)/,
    );
  });
});
