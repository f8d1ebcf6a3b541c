import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSigningKey, publicKeyBase64, registryToken } from './jwt';

const privateKeyPem = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

function decode(part: string): unknown {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

describe('registryToken', () => {
  const issuedAt = new Date('2026-11-30T08:00:00Z');
  const token = registryToken(
    {
      issuer: 'iss-x',
      audience: 'aud-y',
      subject: 'app',
      groups: ['sr-developer'],
      issuedAt,
      ttlSeconds: 86_400,
    },
    privateKeyPem,
  );
  const [header, payload, signature] = token.split('.');

  it('is a compact RS256 JWT with the claims the registry checks', () => {
    expect(decode(header)).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(decode(payload)).toEqual({
      iss: 'iss-x',
      aud: 'aud-y',
      sub: 'app',
      preferred_username: 'app',
      groups: ['sr-developer'],
      iat: issuedAt.getTime() / 1000,
      exp: issuedAt.getTime() / 1000 + 86_400,
    });
  });

  it('verifies with the public key in the form the registry is given (base64 DER SPKI)', () => {
    const publicKey = createPublicKey({
      key: Buffer.from(publicKeyBase64(privateKeyPem), 'base64'),
      format: 'der',
      type: 'spki',
    });

    expect(
      verify(
        'sha256',
        Buffer.from(`${header}.${payload}`),
        publicKey,
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(true);
    expect(
      verify(
        'sha256',
        Buffer.from(`${header}.${payload}x`),
        publicKey,
        Buffer.from(signature, 'base64url'),
      ),
    ).toBe(false);
  });
});

describe('ensureSigningKey', () => {
  it('makes an RSA key once (0600) and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stack-jwt-'));
    try {
      const file = join(dir, 'signing.key');
      const first = ensureSigningKey(file);
      const second = ensureSigningKey(file);

      expect(first.created).toBe(true);
      expect(second).toEqual({
        privateKeyPem: first.privateKeyPem,
        created: false,
      });
      expect(readFileSync(file, 'utf8')).toContain('BEGIN PRIVATE KEY');
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
