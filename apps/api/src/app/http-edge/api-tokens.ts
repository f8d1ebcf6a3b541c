import { createHash, timingSafeEqual } from 'node:crypto';

export type TokenCheck =
  | { readonly outcome: 'missing' }
  | { readonly outcome: 'invalid' }
  /** `clientKey` is a SHA-256 of the token: safe to use as a key, never the token itself. */
  | { readonly outcome: 'valid'; readonly clientKey: string };

const BEARER = /^Bearer(?: (.*))?$/i;

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The accepted bearer tokens, kept only as digests, and the check of an Authorization header. */
export class ApiTokens {
  private readonly digests: readonly Buffer[];

  constructor(tokens: readonly string[]) {
    this.digests = tokens.map(sha256);
  }

  /** No tokens configured: every request is let through, as before authentication existed. */
  get required(): boolean {
    return this.digests.length > 0;
  }

  check(authorization: string | undefined): TokenCheck {
    const presented = authorization?.match(BEARER)?.[1]?.trim();
    if (!presented) return { outcome: 'missing' };
    // Equal-length digests make timingSafeEqual applicable, and every digest is compared so the
    // time taken does not tell which (or whether an early) token matched.
    const digest = sha256(presented);
    let matched: Buffer | undefined;
    for (const candidate of this.digests) {
      if (timingSafeEqual(candidate, digest)) matched = candidate;
    }
    return matched
      ? { outcome: 'valid', clientKey: matched.toString('hex') }
      : { outcome: 'invalid' };
  }
}
