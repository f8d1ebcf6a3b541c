import { createPrivateKey, X509Certificate } from 'node:crypto';
import {
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki, serverExtensions } from './pki';

const servers = [
  {
    name: 'kafka-1',
    ipAddresses: ['127.0.0.1'],
    dnsNames: ['localhost', 'kafka-1'],
  },
  { name: 'registry', ipAddresses: ['127.0.0.1'], dnsNames: ['localhost'] },
];

function certificate(file: string): X509Certificate {
  return new X509Certificate(readFileSync(file));
}

describe('ensurePki (real openssl)', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stack-pki-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes a CA and server certificates it signed, for 127.0.0.1 and localhost', async () => {
    const { pki, created } = await ensurePki(dir, {
      caName: 'test CA',
      servers,
    });

    expect(created).toEqual(['ca', 'kafka-1', 'registry']);
    const ca = certificate(pki.caFile);
    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe('CN=test CA');
    for (const { name } of servers) {
      const cert = certificate(pki.servers[name].certFile);
      expect(cert.ca).toBe(false);
      expect(cert.checkIssued(ca)).toBe(true);
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
      expect(cert.checkHost('localhost')).toBe('localhost');
      const key = readFileSync(pki.servers[name].keyFile, 'utf8');
      // Unencrypted PKCS#8, the form Kafka's PEM keystore and Quarkus read.
      expect(key).toContain('-----BEGIN PRIVATE KEY-----');
      expect(cert.checkPrivateKey(createPrivateKey(key))).toBe(true);
    }
    expect(
      certificate(pki.servers['kafka-1'].certFile).checkHost('kafka-1'),
    ).toBe('kafka-1');
    expect(
      certificate(pki.servers['registry'].certFile).checkHost('kafka-1'),
    ).toBe(undefined);
  });

  it('keeps keys readable by their owner only, and puts key, certificate and CA in the keystore', async () => {
    const { pki } = await ensurePki(dir, { caName: 'test CA', servers });
    const mode = (file: string) => statSync(file).mode & 0o777;

    expect(mode(pki.caKeyFile)).toBe(0o600);
    expect(mode(pki.servers['kafka-1'].keyFile)).toBe(0o600);
    expect(mode(pki.servers['kafka-1'].keystoreFile)).toBe(0o600);
    const keystore = readFileSync(pki.servers['kafka-1'].keystoreFile, 'utf8');
    expect(keystore.match(/-----BEGIN PRIVATE KEY-----/g)).toHaveLength(1);
    expect(keystore.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
  });

  it('reuses everything on the next call', async () => {
    const first = await ensurePki(dir, { caName: 'test CA', servers });
    const before = readFileSync(first.pki.servers['kafka-1'].certFile, 'utf8');
    const second = await ensurePki(dir, { caName: 'test CA', servers });

    expect(second.created).toEqual([]);
    expect(readFileSync(second.pki.servers['kafka-1'].certFile, 'utf8')).toBe(
      before,
    );
  });

  it('issues again what is missing, expiring or no longer matches its names, keeping the CA', async () => {
    const { pki } = await ensurePki(dir, { caName: 'test CA', servers });
    const caBefore = readFileSync(pki.caFile, 'utf8');
    writeFileSync(pki.servers['registry'].certFile, 'not a certificate');
    const renamed = [
      { ...servers[0], dnsNames: ['localhost', 'broker-one'] },
      servers[1],
    ];

    const again = await ensurePki(dir, { caName: 'test CA', servers: renamed });

    expect(again.created).toEqual(['kafka-1', 'registry']);
    expect(readFileSync(pki.caFile, 'utf8')).toBe(caBefore);
    expect(
      certificate(pki.servers['kafka-1'].certFile).checkHost('broker-one'),
    ).toBe('broker-one');
    const later = new Date(Date.now() + 900 * 24 * 60 * 60 * 1000);
    expect(
      (await ensurePki(dir, { caName: 'test CA', servers }, later)).created,
    ).toEqual(['ca', 'kafka-1', 'registry']);
  });
});

describe('serverExtensions', () => {
  it('makes a leaf for both ends of TLS with every name as a SAN', () => {
    expect(serverExtensions(servers[0])).toBe(
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature',
        'extendedKeyUsage=serverAuth,clientAuth',
        'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kafka-1',
        'subjectKeyIdentifier=hash',
        'authorityKeyIdentifier=keyid,issuer',
        '',
      ].join('\n'),
    );
  });
});
