import { InvalidEnvironmentError, parseEnvironment } from '@subtasks/config';
import { apiEnvironment } from './api-environment';

const TOKEN_A = 'token-a-0123456789abcdef';
const TOKEN_B = 'token-b-0123456789abcdef';

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseEnvironment(apiEnvironment, env);
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return error.problems;
    throw error;
  }
  throw new Error('expected a validation error');
}

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

  describe('HTTP edge', () => {
    it('is open, documented and limited to 600 requests a minute per client by default', () => {
      const env = parseEnvironment(apiEnvironment, {});
      expect(env.API_TOKENS).toBeUndefined();
      expect(env.API_AUTH_DISABLED).toBe(false);
      expect(env.API_DOCS_ENABLED).toBeUndefined();
      expect([env.API_RATE_LIMIT, env.API_RATE_LIMIT_WINDOW_MS]).toEqual([
        600, 60_000,
      ]);
    });

    it('reads a comma-separated token list, trimming spaces', () => {
      const env = parseEnvironment(apiEnvironment, {
        API_TOKENS: ` ${TOKEN_A} , ${TOKEN_B}`,
      });
      expect(env.API_TOKENS).toEqual([TOKEN_A, TOKEN_B]);
    });

    it('treats an empty API_TOKENS as unset (no authentication)', () => {
      expect(
        parseEnvironment(apiEnvironment, { API_TOKENS: '' }).API_TOKENS,
      ).toBeUndefined();
    });

    it.each([
      ['too short', 'short-secret', /token 2 of 2 must be at least 16/],
      [
        'not a bearer token',
        'has space 0123456789',
        /token 2 of 2 may only contain/,
      ],
      ['empty', '', /token 2 of 2 must be at least 16/],
    ])(
      'names the position of a bad token (%s), never a token value',
      (_, bad, message) => {
        const problems = problemsOf({ API_TOKENS: `${TOKEN_A},${bad}` });
        expect(problems).toEqual([expect.stringMatching(message)]);
        expect(problems[0]).toMatch(/^API_TOKENS: /);
        for (const secret of [TOKEN_A, bad].filter(Boolean)) {
          expect(problems.join('\n')).not.toContain(secret);
        }
      },
    );

    it('refuses production without API_TOKENS, naming the opt-out', () => {
      const problems = problemsOf({ NODE_ENV: 'production' });
      expect(problems).toEqual([
        expect.stringMatching(
          /^API_TOKENS: is required when NODE_ENV=production/,
        ),
      ]);
      expect(problems[0]).toContain('API_AUTH_DISABLED=true');
    });

    it('runs production with tokens, or with authentication explicitly disabled', () => {
      expect(
        parseEnvironment(apiEnvironment, {
          NODE_ENV: 'production',
          API_TOKENS: TOKEN_A,
        }).API_TOKENS,
      ).toEqual([TOKEN_A]);
      expect(
        parseEnvironment(apiEnvironment, {
          NODE_ENV: 'production',
          API_AUTH_DISABLED: 'true',
        }).API_AUTH_DISABLED,
      ).toBe(true);
    });

    it('refuses tokens together with API_AUTH_DISABLED=true', () => {
      const problems = problemsOf({
        API_TOKENS: TOKEN_A,
        API_AUTH_DISABLED: 'true',
      });
      expect(problems).toEqual([
        expect.stringMatching(/^API_AUTH_DISABLED: cannot be true/),
      ]);
      expect(problems.join('\n')).not.toContain(TOKEN_A);
    });

    it('turns the rate limit off with 0', () => {
      expect(
        parseEnvironment(apiEnvironment, { API_RATE_LIMIT: '0' })
          .API_RATE_LIMIT,
      ).toBe(0);
    });

    it.each([
      ['API_RATE_LIMIT', '-1'],
      ['API_RATE_LIMIT', 'lots'],
      ['API_RATE_LIMIT_WINDOW_MS', '0'],
      ['API_DOCS_ENABLED', 'yes'],
      ['API_AUTH_DISABLED', 'yes'],
    ])('names %s when it is %s', (name, value) => {
      expect(problemsOf({ [name]: value })).toEqual([
        expect.stringMatching(new RegExp(`^${name}: .*\\(got "${value}"\\)`)),
      ]);
    });
  });

  describe('uploads', () => {
    it('waits 30 s for a reply and times an upload out after 60 s by default', () => {
      const env = parseEnvironment(apiEnvironment, {});
      expect([env.UPLOAD_REPLY_TIMEOUT_MS, env.UPLOAD_DEADLINE_MS]).toEqual([
        30_000, 60_000,
      ]);
    });

    it.each([
      ['shorter than', { UPLOAD_DEADLINE_MS: '3000' }, '30000', '3000'],
      [
        'equal to',
        { UPLOAD_DEADLINE_MS: '5000', UPLOAD_REPLY_TIMEOUT_MS: '5000' },
        '5000',
        '5000',
      ],
    ])(
      'refuses an upload deadline %s the reply timeout, naming both',
      (_, variables, replyMs, deadlineMs) => {
        expect(problemsOf(variables)).toEqual([
          `UPLOAD_DEADLINE_MS: must be greater than UPLOAD_REPLY_TIMEOUT_MS (${replyMs} ms): ` +
            `the reconciler would time out uploads whose reply is still awaited (got "${deadlineMs}")`,
        ]);
      },
    );

    it('accepts a deadline longer than the reply timeout', () => {
      const env = parseEnvironment(apiEnvironment, {
        UPLOAD_REPLY_TIMEOUT_MS: '2000',
        UPLOAD_DEADLINE_MS: '3000',
      });
      expect(env.UPLOAD_DEADLINE_MS).toBe(3000);
    });
  });

  describe('503 answers', () => {
    it('ask clients to retry after 5 s by default', () => {
      expect(parseEnvironment(apiEnvironment, {}).API_RETRY_AFTER_SECONDS).toBe(
        5,
      );
    });

    it.each(['0', '-1', 'soon', '1.5', '86401'])(
      'names API_RETRY_AFTER_SECONDS when it is %s',
      (value) => {
        expect(problemsOf({ API_RETRY_AFTER_SECONDS: value })).toEqual([
          expect.stringMatching(
            new RegExp(`^API_RETRY_AFTER_SECONDS: .*\\(got "${value}"\\)`),
          ),
        ]);
      },
    );
  });
});
