import { stackStatus } from '@subtasks/tool-stack';
import type { ProcessGroup } from '../measure/cpu-meter';
import type { AppProcess } from './app-process';
import type { TemporaryDatabase } from './temporary-database';

/** The stack's broker and PostgreSQL server pids, when they run on this machine. */
export async function stackPids(): Promise<{
  broker?: number;
  postgres?: number;
}> {
  const servers = await stackStatus();
  const pidOf = (name: string) =>
    servers.find((server) => server.name === name && server.state === 'running')
      ?.pid;
  return { broker: pidOf('kafka'), postgres: pidOf('postgres') };
}

/**
 * What one upload costs where: the api, the workers, the broker JVM, the PostgreSQL backends serving
 * the bench's database, and the server's own processes (WAL writer, checkpointer, …).
 */
export function uploadProcessGroups(options: {
  /** The api of the moment (a path may restart it with other settings). */
  api: () => AppProcess;
  workers: () => readonly AppProcess[];
  database: TemporaryDatabase;
  broker?: number;
  postmaster?: number;
}): ProcessGroup[] {
  const { database } = options;
  const pgPids = async (where: string, values: unknown[]) => {
    const { rows } = await database.sql.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND ${where}`,
      values,
    );
    return rows.map((row) => row.pid);
  };
  return [
    { name: 'api', pids: async () => [options.api().pid] },
    {
      name: 'worker',
      pids: async () => options.workers().map((worker) => worker.pid),
    },
    {
      name: 'broker',
      pids: async () => (options.broker === undefined ? [] : [options.broker]),
    },
    {
      name: 'postgres',
      pids: () => pgPids('datname = $1', [database.name]),
    },
    {
      name: 'postgres-server',
      pids: async () => [
        ...(options.postmaster === undefined ? [] : [options.postmaster]),
        ...(await pgPids(`backend_type <> 'client backend'`, [])),
      ],
    },
  ];
}
