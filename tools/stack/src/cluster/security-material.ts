import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterSecurityMaterial } from './cluster-access';
import { ensureSigningKey } from './jwt';
import { ensurePki, type ServerCertificateRequest, type StackPki } from './pki';
import type { ProfilePaths } from './profile-paths';
import { type ClusterProfile, clusterHost, kafkaNodes } from './profile';
import { ClusterSecretsError, ensureSecrets, readSecrets } from './secrets';

export interface SecurityMaterial extends ClusterSecurityMaterial {
  pki: StackPki;
  /** Signs the registry tokens; its public half goes to the registry. */
  signingKeyPem: string;
  /** What this call generated (passwords, ca, kafka-1, …, token key), for the progress lines. */
  created: string[];
}

export const registryServerName = 'registry';

export function kafkaServerName(nodeId: number): string {
  return `kafka-${nodeId}`;
}

/** Loopback names for the scripts, and the node's service name for docker-compose's cluster profile. */
export function certificateRequests(
  profile: ClusterProfile,
): ServerCertificateRequest[] {
  const loopback = { ipAddresses: [clusterHost], dnsNames: ['localhost'] };
  return [
    ...kafkaNodes(profile).map(({ nodeId }) => ({
      name: kafkaServerName(nodeId),
      ipAddresses: loopback.ipAddresses,
      dnsNames: [...loopback.dnsNames, kafkaServerName(nodeId)],
    })),
    {
      name: registryServerName,
      ipAddresses: loopback.ipAddresses,
      dnsNames: loopback.dnsNames,
    },
  ];
}

function signingKeyFile(paths: ProfilePaths): string {
  return join(paths.pki, 'registry-token-signing.key');
}

/**
 * Passwords, CA and certificates, and the token signing key of a secure profile: made on the first
 * `up`, reused afterwards. `formatted` says whether Kafka already holds SCRAM users, which new
 * passwords would no longer match.
 */
export async function prepareSecurityMaterial(
  profile: ClusterProfile,
  paths: ProfilePaths,
  formatted: boolean,
): Promise<SecurityMaterial> {
  if (formatted && !existsSync(paths.secretsFile)) {
    throw new ClusterSecretsError(
      `${paths.secretsFile} is gone, but the brokers hold the users of the old passwords: ` +
        `reset the profile (\`npm run stack:reset -- --brokers ${profile.brokers} --secure --yes\`) to start afresh`,
    );
  }
  const { secrets, created: passwordsCreated } = ensureSecrets(
    paths.secretsFile,
  );
  const { pki, created } = await ensurePki(paths.pki, {
    caName: `subtasks local stack CA (${profile.id})`,
    servers: certificateRequests(profile),
  });
  const signing = ensureSigningKey(signingKeyFile(paths));
  return {
    caFile: pki.caFile,
    caPem: readFileSync(pki.caFile, 'utf8'),
    secrets,
    pki,
    signingKeyPem: signing.privateKeyPem,
    created: [
      ...(passwordsCreated ? ['passwords'] : []),
      ...created,
      ...(signing.created ? ['token signing key'] : []),
    ],
  };
}

/** The material an earlier `up` made, for commands that must not create any (status, broker restarts). */
export function loadSecurityMaterial(
  profile: ClusterProfile,
  paths: ProfilePaths,
): ClusterSecurityMaterial {
  const caFile = join(paths.pki, 'ca.pem');
  if (!existsSync(caFile) || !existsSync(paths.secretsFile)) {
    throw new ClusterSecretsError(
      `The ${profile.id} profile has no certificates or passwords yet: run \`npm run stack:up -- --brokers ${profile.brokers} --secure\` first`,
    );
  }
  return {
    caFile,
    caPem: readFileSync(caFile, 'utf8'),
    secrets: readSecrets(paths.secretsFile),
  };
}
