import type { StackConfig } from '../config';
import { isPortAnswering } from '../net';
import type { StackPaths } from '../paths';
import { isOurProcess, readPidFile } from '../processes';
import { type JavaServerName, managedServers } from '../servers';
import type { PortFact } from './facts';
import { findPortHolder } from './port-holder';

async function portFact(
  fact: Omit<PortFact, 'state' | 'holder'>,
  ours: boolean,
): Promise<PortFact> {
  if (ours) return { ...fact, state: 'ours' };
  if (!(await isPortAnswering(fact.host, fact.port, 500)))
    return { ...fact, state: 'free' };
  return { ...fact, state: 'taken', holder: findPortHolder(fact.port) };
}

/** What each of a server's ports is, in ManagedServer.ports' order. */
const portNames: Record<JavaServerName, readonly string[]> = {
  kafka: ['Kafka', 'Kafka controller'],
  registry: ['schema registry', 'registry management'],
};

/** Kafka's and the registry's ports: free, this stack's own servers', or taken (and by whom). */
export async function stackPortFacts(
  config: StackConfig,
  paths: StackPaths,
): Promise<PortFact[]> {
  const facts = managedServers(config, paths, {}).flatMap((server) => {
    const record = readPidFile(server.pidFile);
    // Ours only when it was started for these very ports (the variables may have changed since).
    const ours =
      record !== undefined &&
      (record.url === '' || record.url === server.url) &&
      isOurProcess(record.pid, server.marker);
    return server.ports.map((port, index) =>
      portFact(
        {
          ...port,
          what: portNames[server.name][index] ?? server.name,
          envName: server.envName,
        },
        ours,
      ),
    );
  });
  return Promise.all(facts);
}

function appPort(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  // A bad value is the apps' to report, with their own validation.
  return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
}

/** The ports `npm start` serves the apps on. */
export async function appPortFacts(
  env: NodeJS.ProcessEnv,
): Promise<PortFact[]> {
  const host = env['HOST']?.trim() || '127.0.0.1';
  const ports = [
    { what: 'the api', envName: 'PORT', port: appPort(env, 'PORT', 3000) },
    {
      what: "the subtask-worker's health",
      envName: 'WORKER_HEALTH_PORT',
      port: appPort(env, 'WORKER_HEALTH_PORT', 3001),
    },
  ];
  return Promise.all(
    ports.flatMap(({ port, ...rest }) =>
      port === undefined ? [] : [portFact({ ...rest, host, port }, false)],
    ),
  );
}
