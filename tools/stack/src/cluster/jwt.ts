import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
} from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writePrivateFile } from './private-files';

export interface RegistryTokenClaims {
  issuer: string;
  audience: string;
  /** Also the token's preferred_username. */
  subject: string;
  /** Registry roles, e.g. sr-developer; Quarkus reads them from `groups`. */
  groups: readonly string[];
  issuedAt: Date;
  ttlSeconds: number;
}

function base64Url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/** A compact JWS signed RS256: what the registry's OIDC layer verifies with the matching public key. */
export function mintJwt(
  payload: Record<string, unknown>,
  privateKeyPem: string,
): string {
  const header = base64Url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const body = base64Url(JSON.stringify(payload));
  const signature = sign(
    'sha256',
    Buffer.from(`${header}.${body}`),
    createPrivateKey(privateKeyPem),
  );
  return `${header}.${body}.${base64Url(signature)}`;
}

export function registryToken(
  claims: RegistryTokenClaims,
  privateKeyPem: string,
): string {
  const iat = Math.floor(claims.issuedAt.getTime() / 1000);
  return mintJwt(
    {
      iss: claims.issuer,
      aud: claims.audience,
      sub: claims.subject,
      preferred_username: claims.subject,
      groups: [...claims.groups],
      iat,
      exp: iat + claims.ttlSeconds,
    },
    privateKeyPem,
  );
}

/** Base64 of the DER SubjectPublicKeyInfo: the form `quarkus.oidc.public-key` takes. */
export function publicKeyBase64(privateKeyPem: string): string {
  return createPublicKey(createPrivateKey(privateKeyPem))
    .export({ type: 'spki', format: 'der' })
    .toString('base64');
}

/** The RSA key the stack signs registry tokens with: read from `file`, or made once (0600). */
export function ensureSigningKey(file: string): {
  privateKeyPem: string;
  created: boolean;
} {
  if (existsSync(file))
    return { privateKeyPem: readFileSync(file, 'utf8'), created: false };
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
  writePrivateFile(file, privateKeyPem);
  return { privateKeyPem, created: true };
}
