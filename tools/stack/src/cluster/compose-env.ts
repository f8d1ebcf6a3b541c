import type { ProfilePaths } from './profile-paths';
import type { ClusterSecrets } from './secrets';

/** The variables docker-compose.yml's `cluster` profile reads (`--env-file .stack/secure-3/compose.env`). */
export const composeVariables = {
  adminPassword: 'STACK_KAFKA_ADMIN_PASSWORD',
  appPassword: 'STACK_KAFKA_APP_PASSWORD',
  pkiDir: 'STACK_PKI_DIR',
  dataDir: 'STACK_CLUSTER_DATA_DIR',
  uid: 'STACK_UID',
  gid: 'STACK_GID',
} as const;

/**
 * The containers run as the owner of .stack/, so they can read its 0600 keys and write their data
 * next to them: the same certificates and passwords as the scripts' cluster.
 */
export function composeEnvironment(
  paths: Pick<ProfilePaths, 'pki' | 'composeData'>,
  secrets: Pick<ClusterSecrets, 'kafkaAdminPassword' | 'kafkaAppPassword'>,
  owner: { uid: number; gid: number },
): [string, string][] {
  return [
    [composeVariables.adminPassword, secrets.kafkaAdminPassword],
    [composeVariables.appPassword, secrets.kafkaAppPassword],
    [composeVariables.pkiDir, paths.pki],
    [composeVariables.dataDir, paths.composeData],
    [composeVariables.uid, String(owner.uid)],
    [composeVariables.gid, String(owner.gid)],
  ];
}
