import { createHash } from 'node:crypto';
import { ApiTokens } from './api-tokens';

const TOKEN = 'token-a-0123456789abcdef';
const OTHER = 'token-b-0123456789abcdef';

describe('ApiTokens', () => {
  const tokens = new ApiTokens([TOKEN, OTHER]);

  it('is not required when no token is configured', () => {
    expect(new ApiTokens([]).required).toBe(false);
    expect(tokens.required).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['another scheme', `Basic ${TOKEN}`],
    ['a scheme without token', 'Bearer '],
  ])('finds no bearer token with %s', (_, header) => {
    expect(tokens.check(header)).toEqual({ outcome: 'missing' });
  });

  it.each([
    ['a wrong token', 'Bearer token-c-0123456789abcdef'],
    ['a prefix of a token', `Bearer ${TOKEN.slice(0, -1)}`],
    ['a token with more after it', `Bearer ${TOKEN} extra`],
  ])('rejects %s', (_, header) => {
    expect(tokens.check(header)).toEqual({ outcome: 'invalid' });
  });

  it('accepts every configured token, the scheme in any case', () => {
    expect(tokens.check(`Bearer ${TOKEN}`).outcome).toBe('valid');
    expect(tokens.check(`bearer ${OTHER}`).outcome).toBe('valid');
  });

  it('keys a client by the SHA-256 of its token, never the token', () => {
    const check = tokens.check(`Bearer ${OTHER}`);
    expect(check).toEqual({
      outcome: 'valid',
      clientKey: createHash('sha256').update(OTHER).digest('hex'),
    });
    expect(JSON.stringify(check)).not.toContain(OTHER);
  });
});
