import {
  clusterDown,
  clusterPrepare,
  clusterReset,
  clusterStatus,
  clusterUp,
} from './cluster/cluster-stack';
import {
  parseStackArguments,
  type StackCommandLine,
  UsageError,
} from './cluster/flags';
import {
  ClusterProfileError,
  clusterPortDefaults,
  isDefaultSelection,
  maxBrokers,
} from './cluster/profile';
import { runPreflight } from './preflight/preflight';
import {
  ResetNotConfirmedError,
  stackDown,
  stackReset,
  stackStatus,
  stackUp,
} from './stack';

const usage = `Usage: npm run stack:<up|down|status|reset> [-- <flags>]
       npx tsx --tsconfig tsconfig.base.json tools/stack/src/cli.ts <command> [<flags>]

  up            check the prerequisites, start Kafka and the schema registry (downloads once) and, when
                DATABASE_URL is unset and nothing answers on 127.0.0.1:5432, the embedded PostgreSQL;
                wait until each answers
  down          stop what up started
  status        one line per server (for PostgreSQL: which one is in use)
  reset --yes   down, delete Kafka's data and the embedded PostgreSQL's data (elsewhere: the registry database)
  prepare       (profiles only) write the profile's certificates, passwords and client settings; start nothing

Without flags: the default stack, one plain broker; addresses from KAFKA_BROKERS, SCHEMA_REGISTRY_URL
and DATABASE_URL. Flags select another profile, with its own folder .stack/<plain|secure>-<N>/, ports,
data and registry database; every command takes the same flags:
  --brokers N          N KRaft nodes (1-${maxBrokers}); from 3 on: replication factor 3, min ISR 2
  --secure             SASL_SSL + SCRAM-SHA-512 for clients and brokers, SSL (client certificates) for
                       the controllers, the registry on https with basic and bearer-token authentication
  --kafka-port P       node i listens on P+i-1, its controller on P+100+i-1
                       (default ${clusterPortDefaults.secure.kafka} secure, ${clusterPortDefaults.plain.kafka} plain; later commands reuse the last up's)
  --registry-port P    the registry's port, management on P+1000
                       (default ${clusterPortDefaults.secure.registry} secure, ${clusterPortDefaults.plain.registry} plain)
A profile's registry stores in the default stack's PostgreSQL, database <app database>_registry_<plain|secure>_<N>.`;

interface StatusLine {
  name: string;
  state: string;
  pid?: number;
  url: string;
  detail?: string;
}

function formatStatus({ name, state, pid, url, detail }: StatusLine): string {
  return `${name.padEnd(9)} ${state.padEnd(10)} ${(pid === undefined ? '-' : `pid ${pid}`).padEnd(11)} ${url}${detail === undefined ? '' : `  (${detail})`}`;
}

class PreflightFailedError extends Error {}

async function preflight(stackPorts: boolean): Promise<void> {
  // The report has named every missing piece already.
  if (!(await runPreflight('up', { stackPorts })))
    throw new PreflightFailedError();
}

async function defaultStack({ command, yes }: StackCommandLine) {
  switch (command) {
    case 'up':
      await preflight(true);
      await stackUp();
      return;
    case 'down':
      await stackDown();
      return;
    case 'status':
      for (const status of await stackStatus())
        console.log(formatStatus(status));
      return;
    case 'reset':
      await stackReset({ yes });
      return;
    case 'prepare':
      throw new UsageError(
        'prepare is for a profile: add --secure and/or --brokers N',
      );
  }
}

async function profileStack({
  command,
  selection,
  ports,
  yes,
}: StackCommandLine) {
  const options = { selection, ports };
  switch (command) {
    case 'up':
      await preflight(false);
      await clusterUp(options);
      return;
    case 'down':
      await clusterDown(options);
      return;
    case 'status':
      for (const status of await clusterStatus(options))
        console.log(formatStatus(status));
      return;
    case 'reset':
      await clusterReset({ ...options, yes });
      return;
    case 'prepare':
      await clusterPrepare(options);
      return;
  }
}

async function main(argv: string[]): Promise<number> {
  const commandLine = parseStackArguments(argv);
  const { selection, ports } = commandLine;
  const portFlags = ports.kafka !== undefined || ports.registry !== undefined;
  if (isDefaultSelection(selection) && !portFlags) {
    await defaultStack(commandLine);
  } else {
    await profileStack(commandLine);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof PreflightFailedError) {
      process.exitCode = 1;
      return;
    }
    if (error instanceof UsageError || error instanceof ClusterProfileError) {
      console.error(`stack: ${error.message}\n\n${usage}`);
      process.exitCode = 2;
      return;
    }
    if (error instanceof ResetNotConfirmedError) {
      console.error(`stack reset: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    // Every failure the stack expects carries a message written for the user; a stack trace adds nothing.
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
