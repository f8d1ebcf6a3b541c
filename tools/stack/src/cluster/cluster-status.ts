import { stackPaths } from '../paths';
import { observe } from '../servers';
import { postgresStatus } from '../stack-postgres';
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
  /** False for a PostgreSQL server the stack did not start (DATABASE_URL's, or one already running). */
  managed: boolean;
  /** For PostgreSQL: which server is in use. */
  detail?: string;
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
  const row = await postgresStatus(
    postgres,
    stackPaths(),
    redactUrl(postgres.url),
  );
  return [...managed, row];
}
