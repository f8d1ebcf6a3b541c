import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  clientEnvironment,
  printableSettings,
  renderEnvFile,
  writeClientEnvironment,
} from './client-settings';
import { composeEnvironment } from './compose-env';
import { registryToken } from './jwt';
import type { Log } from './launch';
import { writePrivateFile } from './private-files';
import type { ProfilePaths } from './profile-paths';
import { type ClusterProfile, kafkaNodes } from './profile';
import {
  registryRoles,
  registryTokenAudience,
  registryTokenIssuer,
} from './registry-security';
import { clusterUsers } from './secrets';
import type { SecurityMaterial } from './security-material';

export interface ProfileFiles {
  profile: ClusterProfile;
  /** The variables the apps read (client.env, 0600). */
  clientEnvFile: string;
  /** A bearer token for the registry (secure profiles only; 0600). */
  registryTokenFile?: string;
  /** docker-compose's `cluster` profile settings (secure profiles only; 0600). */
  composeEnvFile?: string;
}

const registryTokenTtlSeconds = 24 * 60 * 60;

function mintRegistryToken(
  paths: ProfilePaths,
  material: SecurityMaterial,
): void {
  const token = registryToken(
    {
      issuer: registryTokenIssuer,
      audience: registryTokenAudience,
      subject: clusterUsers.app,
      groups: [registryRoles.developer],
      issuedAt: new Date(),
      ttlSeconds: registryTokenTtlSeconds,
    },
    material.signingKeyPem,
  );
  writePrivateFile(paths.registryToken, `${token}\n`);
}

function writeComposeEnvironment(
  profile: ClusterProfile,
  paths: ProfilePaths,
  material: SecurityMaterial,
): void {
  // Docker would create missing bind-mount sources owned by root, unwritable for the nodes.
  for (const { nodeId } of kafkaNodes(profile)) {
    mkdirSync(join(paths.composeData, `kafka-${nodeId}`), {
      recursive: true,
      mode: 0o700,
    });
  }
  writePrivateFile(
    paths.composeEnv,
    renderEnvFile(
      composeEnvironment(paths, material.secrets, {
        uid: process.getuid?.() ?? 0,
        gid: process.getgid?.() ?? 0,
      }),
      `For docker compose --env-file ${paths.composeEnv} --profile cluster up -d`,
    ),
  );
}

/** client.env, and for a secure profile a fresh registry token and compose.env; prints all but secrets. */
export function writeProfileFiles(
  profile: ClusterProfile,
  paths: ProfilePaths,
  material: SecurityMaterial | undefined,
  log: Log,
): ProfileFiles {
  const entries = clientEnvironment(profile, material);
  writeClientEnvironment(paths.clientEnv, profile, entries);
  for (const line of printableSettings(entries)) log(`  ${line}`);
  log(
    `  client settings${material === undefined ? '' : ' (passwords included)'}: ${paths.clientEnv}`,
  );
  log(`  use: set -a; . ${paths.clientEnv}; set +a`);
  if (material === undefined)
    return { profile, clientEnvFile: paths.clientEnv };
  mintRegistryToken(paths, material);
  writeComposeEnvironment(profile, paths, material);
  log(
    `  registry bearer token (valid 24 h, role ${registryRoles.developer}): ${paths.registryToken}`,
  );
  return {
    profile,
    clientEnvFile: paths.clientEnv,
    registryTokenFile: paths.registryToken,
    composeEnvFile: paths.composeEnv,
  };
}
