import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidEnvironmentError } from '../lib/environment';

/** A throwaway CA, a certificate it signed and its key, made with openssl, for config tests. */
export interface TestPki {
  dir: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  /** The same key, encrypted with `keyPassword`. */
  encryptedKeyFile: string;
  keyPassword: string;
  /** A key that does not belong to `certFile`. */
  otherKeyFile: string;
  notPemFile: string;
  remove(): void;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'pipe' });
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'config-pki-'));
  const at = (name: string) => join(dir, name);
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=test CA',
  ]);
  openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    at('client.key'),
    '-out',
    at('client.csr'),
    '-subj',
    '/CN=client',
  ]);
  openssl([
    'x509',
    '-req',
    '-in',
    at('client.csr'),
    '-CA',
    at('ca.pem'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-out',
    at('client.pem'),
    '-days',
    '2',
  ]);
  const keyPassword = 'key-pass-phrase-42';
  openssl([
    'pkey',
    '-in',
    at('client.key'),
    '-aes256',
    '-passout',
    `pass:${keyPassword}`,
    '-out',
    at('client-encrypted.key'),
  ]);
  openssl([
    'genpkey',
    '-algorithm',
    'RSA',
    '-pkeyopt',
    'rsa_keygen_bits:2048',
    '-out',
    at('other.key'),
  ]);
  writeFileSync(at('not-pem.txt'), 'hello\n');
  return {
    dir,
    caFile: at('ca.pem'),
    certFile: at('client.pem'),
    keyFile: at('client.key'),
    encryptedKeyFile: at('client-encrypted.key'),
    keyPassword,
    otherKeyFile: at('other.key'),
    notPemFile: at('not-pem.txt'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The problems `build` reports for `env`; fails the test when it accepts it. */
export function refusalsOf(build: () => unknown): string[] {
  try {
    build();
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return error.problems;
    throw error;
  }
  throw new Error('expected the environment to be refused');
}
