import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A PEM file that could not be used; the message names the file, never a secret. */
export class PemFileError extends Error {
  override readonly name = 'PemFileError';
}

const CERTIFICATE_BLOCK =
  /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new PemFileError(`cannot read ${path} (${code})`);
  }
}

export interface PemCertificates {
  /** The file's text, as TLS clients take it. */
  readonly pem: string;
  readonly certificates: readonly X509Certificate[];
}

/** One or more PEM certificates (a CA bundle or a client certificate), each parsed and in date. */
export function readCertificates(
  path: string,
  now = new Date(),
): PemCertificates {
  const pem = readText(path);
  const blocks = pem.match(CERTIFICATE_BLOCK) ?? [];
  if (blocks.length === 0) {
    throw new PemFileError(
      `${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
    );
  }
  const certificates = blocks.map((block, index) => {
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(block);
    } catch {
      throw new PemFileError(
        `certificate ${index + 1} in ${path} is not a valid X.509 certificate`,
      );
    }
    if (new Date(certificate.validTo) < now) {
      throw new PemFileError(
        `certificate ${index + 1} in ${path} (${certificate.subject.replace(/\n/g, ', ')}) expired on ${certificate.validTo}`,
      );
    }
    return certificate;
  });
  return { pem, certificates };
}

export interface PemPrivateKey {
  readonly pem: string;
  readonly key: KeyObject;
}

export type PrivateKeyProblem = 'unreadable' | 'encrypted' | 'wrong-password';

export class PrivateKeyError extends PemFileError {
  constructor(
    readonly problem: PrivateKeyProblem,
    message: string,
  ) {
    super(message);
  }
}

/** A PEM private key, decrypted with `passphrase` when it is encrypted. */
export function readPrivateKey(
  path: string,
  passphrase?: string,
): PemPrivateKey {
  const pem = readText(path);
  const encrypted = /ENCRYPTED/.test(pem);
  try {
    return { pem, key: createPrivateKey({ key: pem, passphrase }) };
  } catch {
    if (encrypted && passphrase === undefined) {
      throw new PrivateKeyError('encrypted', `${path} is an encrypted key`);
    }
    if (encrypted) {
      throw new PrivateKeyError(
        'wrong-password',
        `the password does not decrypt ${path}`,
      );
    }
    throw new PrivateKeyError('unreadable', `${path} holds no PEM private key`);
  }
}
