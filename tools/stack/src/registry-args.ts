import type { PostgresConfig, RegistryConfig } from './config';

export interface RegistryLaunch {
  registry: RegistryConfig;
  postgres: PostgresConfig;
  quarkusRunJar: string;
}

/** JVM arguments for Apicurio Registry 3 with its storage in PostgreSQL and Confluent's default level. */
export function registryJvmArgs({
  registry,
  postgres,
  quarkusRunJar,
}: RegistryLaunch): string[] {
  const jdbcHost = postgres.host.includes(':')
    ? `[${postgres.host}]`
    : postgres.host;
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
    `-Dapicurio.datasource.url=jdbc:postgresql://${jdbcHost}:${postgres.port}/${postgres.registryDatabase}`,
    `-Dapicurio.datasource.username=${postgres.user}`,
    `-Dapicurio.datasource.password=${postgres.password}`,
    '-jar',
    quarkusRunJar,
  ];
}
