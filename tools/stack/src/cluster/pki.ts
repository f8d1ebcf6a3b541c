import { randomBytes, X509Certificate } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../run-command';

export interface ServerCertificateRequest {
  /** File name stem and certificate CN, e.g. `kafka-1`. */
  name: string;
  ipAddresses: readonly string[];
  dnsNames: readonly string[];
}

export interface ServerCertificate {
  /** PEM certificate. */
  certFile: string;
  /** PEM PKCS#8 key, unencrypted, 0600. */
  keyFile: string;
  /** Key, certificate and CA in one PEM file: what Kafka's `ssl.keystore.type=PEM` reads. */
  keystoreFile: string;
}

export interface StackPki {
  /** The CA certificate clients trust. */
  caFile: string;
  caKeyFile: string;
  servers: Record<string, ServerCertificate>;
}

export interface PkiRequest {
  caName: string;
  servers: readonly ServerCertificateRequest[];
  /** Days each certificate is valid; 825 is what clients (Apple's, Chrome's) accept for servers. */
  days?: number;
}

/** Both sides of a loopback connection must accept these: servers verify their peers too (mTLS). */
export function serverExtensions(request: ServerCertificateRequest): string {
  const names = [
    ...request.ipAddresses.map((ip) => `IP:${ip}`),
    ...request.dnsNames.map((dns) => `DNS:${dns}`),
  ];
  return [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth,clientAuth',
    `subjectAltName=${names.join(',')}`,
    'subjectKeyIdentifier=hash',
    'authorityKeyIdentifier=keyid,issuer',
    '',
  ].join('\n');
}

const renewalMarginMs = 24 * 60 * 60 * 1000;

/**
 * The CA and a certificate for each server (EC P-256, made with openssl), created once under
 * `dir` and reused while valid; a certificate missing, expiring within a day, or not matching its
 * request is issued again. Returns the files and the names of what was (re)made.
 */
export async function ensurePki(
  dir: string,
  request: PkiRequest,
  now: Date = new Date(),
): Promise<{ pki: StackPki; created: string[] }> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const days = request.days ?? 825;
  const caFile = join(dir, 'ca.pem');
  const caKeyFile = join(dir, 'ca.key');
  const created: string[] = [];
  const work = mkdtempSync(join(dir, '.work-'));
  try {
    if (!isUsable(caFile, now, undefined, undefined)) {
      await newCa(work, request.caName, days);
      install(work, dir, ['ca.key', 'ca.pem']);
      created.push('ca');
    }
    const ca = new X509Certificate(readFileSync(caFile));
    const servers: Record<string, ServerCertificate> = {};
    for (const server of request.servers) {
      const files = serverFiles(dir, server.name);
      if (
        created.includes('ca') ||
        !isUsable(files.certFile, now, ca, server)
      ) {
        await newServerCertificate(work, server, caFile, caKeyFile, days);
        const key = readFileSync(join(work, `${server.name}.key`), 'utf8');
        const cert = readFileSync(join(work, `${server.name}.pem`), 'utf8');
        writeFileSync(
          join(work, `${server.name}.keystore.pem`),
          `${key.trimEnd()}\n${cert.trimEnd()}\n${ca.toString().trimEnd()}\n`,
          { mode: 0o600 },
        );
        install(work, dir, [
          `${server.name}.key`,
          `${server.name}.keystore.pem`,
          `${server.name}.pem`,
        ]);
        created.push(server.name);
      }
      servers[server.name] = files;
    }
    return { pki: { caFile, caKeyFile, servers }, created };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function serverFiles(dir: string, name: string): ServerCertificate {
  return {
    certFile: join(dir, `${name}.pem`),
    keyFile: join(dir, `${name}.key`),
    keystoreFile: join(dir, `${name}.keystore.pem`),
  };
}

function isUsable(
  certFile: string,
  now: Date,
  ca: X509Certificate | undefined,
  request: ServerCertificateRequest | undefined,
): boolean {
  if (!existsSync(certFile)) return false;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(readFileSync(certFile));
  } catch {
    return false;
  }
  if (new Date(cert.validTo).getTime() - now.getTime() < renewalMarginMs)
    return false;
  if (ca !== undefined && !(cert.checkIssued(ca) && cert.verify(ca.publicKey)))
    return false;
  if (request === undefined) return true;
  return (
    request.ipAddresses.every((ip) => cert.checkIP(ip) !== undefined) &&
    request.dnsNames.every(
      (dns) => cert.checkHost(dns, { wildcards: false }) !== undefined,
    )
  );
}

/** Keys first: a certificate on disk always has its key. */
function install(from: string, to: string, names: string[]): void {
  for (const name of names) {
    const target = join(to, name);
    renameSync(join(from, name), target);
    if (name.endsWith('.key') || name.endsWith('.keystore.pem'))
      chmodSync(target, 0o600);
  }
}

const keyAlgorithm = [
  '-algorithm',
  'EC',
  '-pkeyopt',
  'ec_paramgen_curve:P-256',
];

async function openssl(args: string[], what: string): Promise<void> {
  await runCommand('openssl', args, { what });
}

async function newCa(work: string, caName: string, days: number) {
  const key = join(work, 'ca.key');
  await openssl(
    ['genpkey', ...keyAlgorithm, '-out', key],
    'Generating the CA key',
  );
  chmodSync(key, 0o600);
  await openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      key,
      '-sha256',
      '-days',
      String(days),
      '-subj',
      `/CN=${caName}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE,pathlen:0',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      join(work, 'ca.pem'),
    ],
    'Creating the CA certificate',
  );
}

async function newServerCertificate(
  work: string,
  server: ServerCertificateRequest,
  caFile: string,
  caKeyFile: string,
  days: number,
) {
  const key = join(work, `${server.name}.key`);
  const csr = join(work, `${server.name}.csr`);
  const extensions = join(work, `${server.name}.ext`);
  await openssl(
    ['genpkey', ...keyAlgorithm, '-out', key],
    `Generating the key of ${server.name}`,
  );
  chmodSync(key, 0o600);
  await openssl(
    ['req', '-new', '-key', key, '-subj', `/CN=${server.name}`, '-out', csr],
    `Requesting a certificate for ${server.name}`,
  );
  writeFileSync(extensions, serverExtensions(server));
  await openssl(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      caFile,
      '-CAkey',
      caKeyFile,
      // Random serials: a re-issued certificate never repeats one the clients have seen.
      '-set_serial',
      `0x${randomBytes(16).toString('hex')}`,
      '-days',
      String(days),
      '-sha256',
      '-extfile',
      extensions,
      '-out',
      join(work, `${server.name}.pem`),
    ],
    `Signing the certificate of ${server.name}`,
  );
}
