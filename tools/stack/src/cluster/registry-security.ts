import { clusterUsers } from './secrets';

/** Apicurio's roles: admin, developer (may register), read-only. */
export const registryRoles = {
  admin: 'sr-admin',
  developer: 'sr-developer',
  readonly: 'sr-readonly',
} as const;

/** Claims the registry checks in a bearer token, and the stack writes into the tokens it mints. */
export const registryTokenIssuer = 'subtasks-local-stack';
export const registryTokenAudience = 'apicurio-registry';

export interface RegistryTls {
  port: number;
  certFile: string;
  keyFile: string;
}

export interface RegistryUsers {
  appPassword: string;
  readerPassword: string;
}

/**
 * Non-secret settings for the command line: https only on `port`, HTTP basic against embedded
 * users and bearer JWTs checked with a local public key (OIDC without a server), roles enforced.
 * The secrets come from the config file (see registryConfigFile).
 */
export function secureRegistryArgs(tls: RegistryTls): string[] {
  const user = (name: string, role: string) =>
    `-Dquarkus.security.users.embedded.roles.${name}=${role}`;
  return [
    `-Dquarkus.http.ssl-port=${tls.port}`,
    '-Dquarkus.http.insecure-requests=disabled',
    `-Dquarkus.http.ssl.certificate.files=${tls.certFile}`,
    `-Dquarkus.http.ssl.certificate.key-files=${tls.keyFile}`,
    '-Dquarkus.oidc.tenant-enabled=true',
    `-Dquarkus.oidc.token.issuer=${registryTokenIssuer}`,
    `-Dquarkus.oidc.token.audience=${registryTokenAudience}`,
    // Apicurio's build fixes this at build time and warns, but basic then runs before OIDC.
    '-Dquarkus.http.auth.basic=true',
    '-Dapicurio.auth.role-based-authorization=true',
    '-Dquarkus.security.users.embedded.enabled=true',
    '-Dquarkus.security.users.embedded.plain-text=true',
    user(clusterUsers.app, registryRoles.developer),
    user(clusterUsers.registryReader, registryRoles.readonly),
  ];
}

/**
 * The registry's config file (passed by path with quarkus.config.locations, 0600): the embedded
 * users' passwords stay off the command line, which `ps` and the stack's logs show. Plain
 * profiles get a file too: its path tells the profile's registry process from any other.
 */
export function registryConfigFile(
  security: { users: RegistryUsers; tokenPublicKey: string } | undefined,
): string {
  const header =
    '# Written by tools/stack on every start; edit tools/stack/src/cluster/registry-security.ts instead.\n';
  if (security === undefined) return header;
  const { users, tokenPublicKey } = security;
  return [
    header.trimEnd(),
    `quarkus.security.users.embedded.users.${clusterUsers.app}=${users.appPassword}`,
    `quarkus.security.users.embedded.users.${clusterUsers.registryReader}=${users.readerPassword}`,
    `quarkus.oidc.public-key=${tokenPublicKey}`,
    '',
  ].join('\n');
}

export function configLocationArg(file: string): string {
  return `-Dquarkus.config.locations=${file}`;
}

/** System properties must come before `-jar`, after which everything is the app's own argument. */
export function withSystemProperties(
  jvmArgs: readonly string[],
  properties: readonly string[],
): string[] {
  const jar = jvmArgs.indexOf('-jar');
  if (jar === -1)
    throw new Error('expected the registry arguments to end in -jar <file>');
  return [...jvmArgs.slice(0, jar), ...properties, ...jvmArgs.slice(jar)];
}
