import { postgresServerPid } from '../postgres';
import { observe } from '../servers';
import {
  type ClusterCommandOptions,
  profilePostgres,
  redactUrl,
} from './cluster-command';
import { type ClusterServer, clusterServers } from './cluster-servers';
import { resolveClusterProfile } from './profile-store';

export interface ClusterServerStatus {
  name: string;
  state: 'running' | 'starting' | 'stopped' | 'port-taken';
  pid?: number;
  url: string;
  /** False for PostgreSQL, which the stack checks but does not start or stop. */
  managed: boolean;
}

async function statusOf(server: ClusterServer): Promise<ClusterServerStatus> {
  const observation = await observe(server);
  const row = { name: server.name, url: server.url, managed: true };
  switch (observation.state) {
    case 'running-elsewhere':
      return {
        ...row,
        state: 'running',
        pid: observation.pid,
        url: observation.url,
      };
    case 'running':
    case 'starting':
      return { ...row, state: observation.state, pid: observation.pid };
    default:
      return { ...row, state: observation.state };
  }
}

/** One entry per Kafka node, then the registry and PostgreSQL. */
export async function clusterStatus(
  options: Pick<ClusterCommandOptions, 'selection' | 'ports' | 'env'>,
): Promise<ClusterServerStatus[]> {
  const { profile, paths } = resolveClusterProfile(
    options.selection,
    options.ports,
  );
  const managed = await Promise.all(
    clusterServers(profile, paths).map(statusOf),
  );
  const postgres = profilePostgres(profile, options.env);
  const row: ClusterServerStatus = {
    name: 'postgres',
    state: 'stopped',
    url: redactUrl(postgres.url),
    managed: false,
  };
  try {
    row.pid = await postgresServerPid(postgres);
    row.state = 'running';
  } catch {
    // Reported as stopped.
  }
  return [...managed, row];
}
