import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ProfilePaths, profilePaths } from './profile-paths';
import {
  type ClusterPorts,
  type ClusterProfile,
  clusterProfile,
  type ClusterSelection,
  profileId,
} from './profile';

function profileFile(paths: ProfilePaths): string {
  return join(paths.dir, 'profile.json');
}

function savedPorts(paths: ProfilePaths): Partial<ClusterPorts> {
  const file = profileFile(paths);
  if (!existsSync(file)) return {};
  try {
    const { ports } = JSON.parse(readFileSync(file, 'utf8')) as {
      ports?: Partial<ClusterPorts>;
    };
    return {
      ...(typeof ports?.kafka === 'number' ? { kafka: ports.kafka } : {}),
      ...(typeof ports?.registry === 'number'
        ? { registry: ports.registry }
        : {}),
    };
  } catch {
    return {};
  }
}

/**
 * The profile a command acts on: ports given now win, then the ports of its last `up` (so `down`,
 * `status` and the broker functions need no port flags), then the defaults.
 */
export function resolveClusterProfile(
  selection: ClusterSelection,
  ports: Partial<ClusterPorts> = {},
): { profile: ClusterProfile; paths: ProfilePaths } {
  const paths = profilePaths(profileId(selection));
  const profile = clusterProfile(selection, {
    ...savedPorts(paths),
    ...ports,
  });
  return { profile, paths };
}

export function saveProfile(paths: ProfilePaths, profile: ClusterProfile) {
  const { brokers, secure, ports } = profile;
  writeFileSync(
    profileFile(paths),
    `${JSON.stringify({ brokers, secure, ports }, null, 2)}\n`,
  );
}
