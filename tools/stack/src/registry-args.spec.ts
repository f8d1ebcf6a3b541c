import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStackConfig } from './config';
import {
  RegistryKeyFormatError,
  registryEnv,
  registryJdbcUrl,
  registryJvmArgs,
} from './registry-args';

function postgresFor(databaseUrl: string) {
  return loadStackConfig({ DATABASE_URL: databaseUrl }).postgres;
}

const server = 'postgresql://app:s3cr%24t@db.example:5432/subtasks';

describe('registryJvmArgs', () => {
  it('binds HTTP and management to the configured host, stores in PostgreSQL, defaults to BACKWARD', () => {
    const { registry, postgres } = loadStackConfig({});

    const args = registryJvmArgs({
      registry,
      postgres,
      quarkusRunJar: '/cache/app/quarkus-run.jar',
    });

    expect(args).toEqual([
      '-Xmx512m',
      '-Dquarkus.http.host=127.0.0.1',
      '-Dquarkus.http.port=8081',
      '-Dquarkus.management.host=127.0.0.1',
      '-Dquarkus.management.port=9081',
      '-Dapicurio.rules.global.compatibility=BACKWARD',
      '-Dapicurio.storage.kind=sql',
      '-Dapicurio.storage.sql.kind=postgresql',
      '-Dapicurio.datasource.url=jdbc:postgresql://127.0.0.1:5432/subtasks_registry',
      '-Dapicurio.datasource.username=postgres',
      '-jar',
      '/cache/app/quarkus-run.jar',
    ]);
  });

  it('follows SCHEMA_REGISTRY_URL and DATABASE_URL', () => {
    const { registry, postgres } = loadStackConfig({
      SCHEMA_REGISTRY_URL: 'http://localhost:18081/apis/ccompat/v7',
      DATABASE_URL: 'postgresql://app:pw@[::1]:15432/subtasks',
    });

    const args = registryJvmArgs({
      registry,
      postgres,
      quarkusRunJar: 'quarkus-run.jar',
    });

    expect(args).toEqual(
      expect.arrayContaining([
        '-Dquarkus.http.port=18081',
        '-Dquarkus.management.port=19081',
        '-Dapicurio.datasource.url=jdbc:postgresql://[::1]:15432/subtasks_registry',
        '-Dapicurio.datasource.username=app',
      ]),
    );
  });

  it('never puts a password or key passphrase on the command line', () => {
    const { registry } = loadStackConfig({});
    const postgres = postgresFor(
      `${server}?sslmode=verify-full&sslpassword=k3y%24pass`,
    );

    const args = registryJvmArgs({
      registry,
      postgres,
      quarkusRunJar: 'quarkus-run.jar',
    }).join(' ');

    expect(args).not.toMatch(/s3cr|k3y/);
    expect(args).not.toContain('datasource.password');
    expect(args).toContain(
      '-Dquarkus.datasource.postgresql.jdbc.additional-jdbc-properties.sslpassword=${SUBTASKS_REGISTRY_SSLPASSWORD}',
    );
  });
});

describe('registryEnv', () => {
  it('hands the password (and sslpassword) to the registry by environment', () => {
    expect(
      registryEnv(postgresFor(`${server}?sslpassword=k3y%24pass`)),
    ).toEqual({
      APICURIO_DATASOURCE_PASSWORD: 's3cr$t',
      SUBTASKS_REGISTRY_SSLPASSWORD: 'k3y$pass',
    });
    expect(registryEnv(loadStackConfig({}).postgres)).toEqual({
      APICURIO_DATASOURCE_PASSWORD: '',
    });
  });

  it('escapes ${ so that Quarkus does not expand it', () => {
    expect(
      registryEnv(postgresFor('postgresql://app:a%24%7Bb%7Dc@db/subtasks')),
    ).toEqual({ APICURIO_DATASOURCE_PASSWORD: 'a\\${b}c' });
  });
});

describe('registryJdbcUrl', () => {
  it('maps the libpq parameters pgjdbc understands, encoded', () => {
    const url = registryJdbcUrl(
      postgresFor(
        `${server}?sslmode=verify-full&sslrootcert=%2Fetc%2Fssl%2Fca%20root.pem&sslcert=%2Fetc%2Fclient.crt&sslkey=%2Fetc%2Fclient.p12` +
          '&application_name=api&connect_timeout=7&options=-c%20search_path%3Dapp&sslnegotiation=direct&target_session_attrs=any',
      ),
    );

    expect(url).toBe(
      'jdbc:postgresql://db.example:5432/subtasks_registry?sslmode=verify-full' +
        '&sslrootcert=%2Fetc%2Fssl%2Fca%20root.pem&sslcert=%2Fetc%2Fclient.crt&sslkey=%2Fetc%2Fclient.p12' +
        '&ApplicationName=api&connectTimeout=7&options=-c%20search_path%3Dapp&sslNegotiation=direct',
    );
    expect(url).not.toContain('s3cr');
  });

  it.each([
    ['1', '2'],
    ['0', '0'],
  ])('connect_timeout=%s becomes connectTimeout=%s', (libpq, jdbc) => {
    expect(
      registryJdbcUrl(postgresFor(`${server}?connect_timeout=${libpq}`)),
    ).toBe(
      `jdbc:postgresql://db.example:5432/subtasks_registry?connectTimeout=${jdbc}`,
    );
  });

  it.each([
    // node-postgres's meanings (pg 8): every mode but disable and no-verify verifies chain and host.
    ['sslmode=disable', 'disable'],
    ['sslmode=allow', 'verify-full'],
    ['sslmode=prefer', 'verify-full'],
    ['sslmode=require', 'verify-full'],
    ['sslmode=verify-ca', 'verify-full'],
    ['sslmode=verify-full', 'verify-full'],
    ['sslmode=no-verify', 'require'],
    ['ssl=true', 'verify-full'],
    ['ssl=1', 'verify-full'],
    ['ssl=0', 'disable'],
    // libpq's meanings, asked for with uselibpqcompat=true.
    ['uselibpqcompat=true&sslmode=prefer', 'prefer'],
    ['uselibpqcompat=true&sslmode=require', 'require'],
    ['uselibpqcompat=true&sslmode=require&sslrootcert=ca.pem', 'verify-ca'],
    ['uselibpqcompat=true&sslmode=verify-ca', 'verify-ca'],
    ['uselibpqcompat=true&sslmode=disable', 'disable'],
  ])('%s gives pgjdbc sslmode=%s', (query, mode) => {
    expect(
      new URL(
        registryJdbcUrl(postgresFor(`${server}?${query}`)).replace(
          /^jdbc:/,
          '',
        ),
      ).searchParams.get('sslmode'),
    ).toBe(mode);
  });

  it("leaves sslmode to the driver's default when the URL has none", () => {
    expect(registryJdbcUrl(postgresFor(server))).toBe(
      'jdbc:postgresql://db.example:5432/subtasks_registry',
    );
  });

  describe('client keys', () => {
    let dir: string;
    const keyFile = (name: string, content: string) => {
      const file = join(dir, name);
      writeFileSync(file, content);
      return file;
    };
    const withKey = (file: string) =>
      registryJdbcUrl(
        postgresFor(
          `${server}?sslmode=verify-full&sslkey=${encodeURIComponent(file)}`,
        ),
      );

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'registry-args-'));
    });

    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('accepts PKCS#8 PEM, DER, PKCS#12 and a file that is not there yet', () => {
      for (const file of [
        keyFile('client.key', '-----BEGIN PRIVATE KEY-----\nMIG...\n'),
        keyFile('client.pk8', '\u0030\u0082binary'),
        join(dir, 'client.p12'),
        join(dir, 'missing.key'),
      ]) {
        expect(withKey(file)).toContain(`sslkey=${encodeURIComponent(file)}`);
      }
    });

    it.each(['RSA PRIVATE KEY', 'EC PRIVATE KEY', 'ENCRYPTED PRIVATE KEY'])(
      'rejects a "%s" PEM key, naming the conversion',
      (type) => {
        const file = keyFile('libpq.key', `-----BEGIN ${type}-----\nMIG...\n`);
        expect(() => withKey(file)).toThrow(RegistryKeyFormatError);
        expect(() => withKey(file)).toThrow(/openssl pkcs8 -topk8 -nocrypt/);
      },
    );
  });
});
