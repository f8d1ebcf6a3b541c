import type { KafkaConnection, RegistryConnection } from '@subtasks/config';
import { stackDefaults } from '../config';
import { type ClusterProfile, registryUrl } from './profile';
import { type ClusterSecrets, clusterUsers } from './secrets';

export interface ClusterSecurityMaterial {
  caFile: string;
  /** The CA certificate (PEM) clients trust. */
  caPem: string;
  secrets: ClusterSecrets;
}

/** How the stack itself reaches a profile's servers: Kafka as the brokers' admin user, the registry as the app. */
export interface ClusterAccess {
  kafka(brokers: readonly string[], timeoutMs?: number): KafkaConnection;
  registry: RegistryConnection;
}

export function clusterAccess(
  profile: ClusterProfile,
  security: ClusterSecurityMaterial | undefined,
): ClusterAccess {
  const url = registryUrl(profile, stackDefaults.registryApiPath);
  return {
    kafka: (brokers, timeoutMs = 5_000) => ({
      brokers: [...brokers],
      ...(security === undefined
        ? {}
        : {
            tls: {
              ca: security.caPem,
              caFile: security.caFile,
              checkServerName: true,
            },
            sasl: {
              mechanism: 'scram-sha-512',
              username: clusterUsers.kafkaAdmin,
              password: security.secrets.kafkaAdminPassword,
            },
          }),
      connectionTimeoutMs: Math.min(timeoutMs, 3_000),
      requestTimeoutMs: timeoutMs,
    }),
    registry:
      security === undefined
        ? { url }
        : {
            url,
            auth: {
              kind: 'basic',
              username: clusterUsers.app,
              password: security.secrets.registryAppPassword,
            },
            ca: security.caPem,
          },
  };
}
