import { join } from 'node:path';
import { type PostgresConfig, stackDefaults } from '../config';
import { ensureKafkaJars, ensureRegistryApp } from '../downloads';
import { findJava, type JavaRuntime } from '../java';
import { stackPaths } from '../paths';
import { removePidFile, startDetached } from '../processes';
import { registryEnv, registryJvmArgs } from '../registry-args';
import type { ClusterServer } from './cluster-servers';
import { publicKeyBase64 } from './jwt';
import { lightJvmOptions, type NodeLaunch } from './kafka-nodes';
import type { NodeSecurity } from './node-properties';
import { writePrivateFile } from './private-files';
import type { ProfilePaths } from './profile-paths';
import { type ClusterProfile, clusterHost } from './profile';
import {
  configLocationArg,
  registryConfigFile,
  secureRegistryArgs,
  withSystemProperties,
} from './registry-security';
import { clusterUsers } from './secrets';
import {
  kafkaServerName,
  registryServerName,
  type SecurityMaterial,
} from './security-material';

export type Log = (message: string) => void;

/** Java 17+ and Kafka's jars (downloaded once into the shared cache). */
export async function kafkaRuntime(
  log: Log,
): Promise<{ java: JavaRuntime; libDir: string }> {
  const title = `Kafka ${stackDefaults.versions.kafka}`;
  const java = findJava(17, title);
  const { dir, downloaded } = await ensureKafkaJars(stackPaths(), () =>
    log(`kafka     downloading ${title} with mvn (once)…`),
  );
  if (downloaded) log(`kafka     cached in ${dir}`);
  return { java, libDir: dir };
}

/** How node `nodeId` of a secure profile uses the stack's PKI and the brokers' own SCRAM user. */
export function nodeSecurity(
  material: SecurityMaterial,
): (nodeId: number) => NodeSecurity {
  return (nodeId) => ({
    keystoreFile: material.pki.servers[kafkaServerName(nodeId)].keystoreFile,
    truststoreFile: material.caFile,
    interBrokerUser: clusterUsers.kafkaAdmin,
    interBrokerPassword: material.secrets.kafkaAdminPassword,
  });
}

export function startBrokerProcess(
  server: ClusterServer,
  launch: NodeLaunch,
  paths: ProfilePaths,
): number {
  removePidFile(server.pidFile);
  return startDetached({
    command: launch.command,
    args: launch.args,
    cwd: paths.dir,
    logFile: server.logFile,
    pidFile: server.pidFile,
    url: server.url,
  });
}

/**
 * Writes the registry's config file (the users' passwords and the token key, 0600) and starts it
 * with the plain stack's arguments plus the profile's: https and authentication when secure.
 */
export async function startRegistryProcess(
  profile: ClusterProfile,
  paths: ProfilePaths,
  server: ClusterServer,
  postgres: PostgresConfig,
  material: SecurityMaterial | undefined,
  log: Log,
): Promise<number> {
  const title = `Apicurio Registry ${stackDefaults.versions.registry}`;
  const java = findJava(21, title);
  const { dir: appDir, downloaded } = await ensureRegistryApp(
    stackPaths(),
    () => log(`registry  downloading ${title} with mvn (once)…`),
  );
  if (downloaded) log(`registry  cached in ${appDir}`);
  writePrivateFile(
    paths.registryConfig,
    registryConfigFile(
      material === undefined
        ? undefined
        : {
            users: {
              appPassword: material.secrets.registryAppPassword,
              readerPassword: material.secrets.registryReaderPassword,
            },
            tokenPublicKey: publicKeyBase64(material.signingKeyPem),
          },
    ),
  );
  const registryCertificate = material?.pki.servers[registryServerName];
  const args = withSystemProperties(
    registryJvmArgs({
      registry: {
        url: server.url,
        listener: { host: clusterHost, port: profile.ports.registry },
        managementPort: server.ports[1].port,
      },
      postgres,
      quarkusRunJar: join(appDir, 'quarkus-run.jar'),
    }),
    [
      ...lightJvmOptions,
      configLocationArg(paths.registryConfig),
      ...(registryCertificate === undefined
        ? []
        : secureRegistryArgs({
            port: profile.ports.registry,
            certFile: registryCertificate.certFile,
            keyFile: registryCertificate.keyFile,
          })),
    ],
  );
  removePidFile(server.pidFile);
  return startDetached({
    command: java.path,
    args,
    env: registryEnv(postgres),
    cwd: paths.dir,
    logFile: server.logFile,
    pidFile: server.pidFile,
    url: server.url,
  });
}
