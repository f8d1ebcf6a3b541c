import { closeSync, openSync, readSync } from 'node:fs';
import type { PostgresConfig, RegistryConfig } from './config';

export interface RegistryLaunch {
  registry: RegistryConfig;
  postgres: PostgresConfig;
  quarkusRunJar: string;
}

/** Read by Quarkus as apicurio.datasource.password: the password never appears on the command line. */
export const registryPasswordEnv = 'APICURIO_DATASOURCE_PASSWORD';
/** The client key's passphrase (DATABASE_URL's sslpassword), referenced from the command line by name. */
export const registrySslPasswordEnv = 'SUBTASKS_REGISTRY_SSLPASSWORD';

/** JVM arguments for Apicurio Registry 3 with its storage in PostgreSQL and Confluent's default level. */
export function registryJvmArgs({
  registry,
  postgres,
  quarkusRunJar,
}: RegistryLaunch): string[] {
  const sslPassword = new URL(postgres.url).searchParams.get('sslpassword');
  return [
    '-Xmx512m',
    `-Dquarkus.http.host=${registry.listener.host}`,
    `-Dquarkus.http.port=${registry.listener.port}`,
    // Without an explicit host the management port listens on every interface.
    `-Dquarkus.management.host=${registry.listener.host}`,
    `-Dquarkus.management.port=${registry.managementPort}`,
    // Apicurio's own default is NONE; Confluent's (and the client library's) is BACKWARD.
    '-Dapicurio.rules.global.compatibility=BACKWARD',
    '-Dapicurio.storage.kind=sql',
    '-Dapicurio.storage.sql.kind=postgresql',
    `-Dapicurio.datasource.url=${registryJdbcUrl(postgres)}`,
    `-Dapicurio.datasource.username=${postgres.user}`,
    // A secret in the JDBC URL would show in `ps` and in the log's command line: Quarkus expands
    // the reference from the environment instead.
    ...(sslPassword
      ? [
          `-Dquarkus.datasource.postgresql.jdbc.additional-jdbc-properties.sslpassword=\${${registrySslPasswordEnv}}`,
        ]
      : []),
    '-jar',
    quarkusRunJar,
  ];
}

/** The registry's secrets, for its process environment only. */
export function registryEnv(postgres: PostgresConfig): Record<string, string> {
  const sslPassword = new URL(postgres.url).searchParams.get('sslpassword');
  return {
    [registryPasswordEnv]: quarkusLiteral(postgres.password),
    ...(sslPassword
      ? { [registrySslPasswordEnv]: quarkusLiteral(sslPassword) }
      : {}),
  };
}

/** Quarkus expands `${…}` in every config value, secrets included. */
function quarkusLiteral(value: string): string {
  return value.replace(/\$\{/g, '\\${');
}

/*
 * DATABASE_URL's parameters for the registry's JDBC driver (pgjdbc 42.7), with the meaning the app's
 * node-postgres gives them, so one URL means one level of checking everywhere:
 *   sslmode            pg (without uselibpqcompat=true) verifies chain and host for every mode but
 *                      disable and no-verify: those become verify-full; no-verify becomes require.
 *                      With uselibpqcompat=true libpq's meanings, as pgjdbc has them, except that
 *                      require with sslrootcert verifies the chain (verify-ca), as libpq does.
 *                      No sslmode: the driver's default (prefer).
 *   ssl=true|1 / ssl=0 verify-full / disable
 *   sslrootcert        as is (pgjdbc without it reads ~/.postgresql/root.crt, pg trusts Node's CAs)
 *   sslcert, sslkey    as is; pgjdbc reads keys as PKCS#12 (.p12/.pfx, sslcert unused), PKCS#8 DER
 *                      or unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY") only: checked here
 *   sslpassword        not in the URL: see registryJvmArgs
 *   application_name → ApplicationName, connect_timeout → connectTimeout (seconds, libpq minimum 2),
 *   options → options, sslnegotiation → sslNegotiation. Other parameters are pg's or libpq's only.
 */
export function registryJdbcUrl(postgres: PostgresConfig): string {
  const params = new URL(postgres.url).searchParams;
  const jdbc: [string, string][] = [];
  const sslmode = jdbcSslMode(params);
  if (sslmode !== undefined) jdbc.push(['sslmode', sslmode]);
  for (const name of ['sslrootcert', 'sslcert', 'sslkey'] as const) {
    const value = params.get(name);
    if (value === null) continue;
    if (name === 'sslkey') assertJdbcReadableKey(value);
    jdbc.push([name, value]);
  }
  const applicationName = params.get('application_name');
  if (applicationName !== null) jdbc.push(['ApplicationName', applicationName]);
  const connectTimeout = Number.parseInt(
    params.get('connect_timeout') ?? '',
    10,
  );
  if (Number.isFinite(connectTimeout)) {
    jdbc.push([
      'connectTimeout',
      String(connectTimeout > 0 ? Math.max(connectTimeout, 2) : 0),
    ]);
  }
  const options = params.get('options');
  if (options !== null) jdbc.push(['options', options]);
  const sslNegotiation = params.get('sslnegotiation');
  if (sslNegotiation !== null) jdbc.push(['sslNegotiation', sslNegotiation]);

  const host = postgres.host.includes(':')
    ? `[${postgres.host}]`
    : postgres.host;
  const query = jdbc
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join('&');
  return `jdbc:postgresql://${host}:${postgres.port}/${postgres.registryDatabase}${query === '' ? '' : `?${query}`}`;
}

function jdbcSslMode(params: URLSearchParams): string | undefined {
  const mode = params.get('sslmode');
  if (mode === null) {
    const ssl = params.get('ssl');
    if (ssl === 'true' || ssl === '1') return 'verify-full';
    if (ssl === '0') return 'disable';
    return undefined;
  }
  if (params.get('uselibpqcompat') !== 'true') {
    if (mode === 'disable') return 'disable';
    if (mode === 'no-verify') return 'require';
    return 'verify-full';
  }
  switch (mode) {
    case 'disable':
    case 'allow':
    case 'prefer':
    case 'verify-ca':
    case 'verify-full':
      return mode;
    case 'require':
      return params.has('sslrootcert') ? 'verify-ca' : 'require';
    default:
      // pg in libpq mode still verifies everything for a mode it does not know.
      return 'verify-full';
  }
}

export class RegistryKeyFormatError extends Error {
  override readonly name = 'RegistryKeyFormatError';
}

/** pgjdbc reads a PEM key only as unencrypted PKCS#8; a missing file is left to the connection check. */
function assertJdbcReadableKey(file: string): void {
  if (/\.(p12|pfx)$/i.test(file)) return;
  let head: string;
  try {
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(256);
      head = buffer
        .subarray(0, readSync(fd, buffer, 0, 256, 0))
        .toString('latin1');
    } finally {
      closeSync(fd);
    }
  } catch {
    return;
  }
  const pem = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(head);
  if (pem === null || pem[1] === 'PRIVATE KEY') return;
  throw new RegistryKeyFormatError(
    `DATABASE_URL's sslkey ${file} is a "${pem[1]}" PEM file, which the schema registry's JDBC driver cannot read: ` +
      'it takes unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY"), PKCS#8 DER or PKCS#12 (.p12). ' +
      `Convert it, e.g. \`openssl pkcs8 -topk8 -nocrypt -in ${file} -out ${file}.pk8.pem\`, and use that file in DATABASE_URL.`,
  );
}
