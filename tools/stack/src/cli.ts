import {
  type ServerStatus,
  ResetNotConfirmedError,
  stackDown,
  stackReset,
  stackStatus,
  stackUp,
} from './stack';

const usage = `Usage: npx tsx tools/stack/src/cli.ts <command>

  up            start Kafka and the schema registry (downloads once), check PostgreSQL, wait until ready
  down          stop what up started
  status        one line per server
  reset --yes   down, delete Kafka's data and the registry database

Addresses come from KAFKA_BROKERS, SCHEMA_REGISTRY_URL and DATABASE_URL.`;

function formatStatus({ name, state, pid, url }: ServerStatus): string {
  return `${name.padEnd(9)} ${state.padEnd(10)} ${(pid === undefined ? '-' : `pid ${pid}`).padEnd(11)} ${url}`;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...flags] = argv;
  switch (command) {
    case 'up':
      await stackUp();
      return 0;
    case 'down':
      await stackDown();
      return 0;
    case 'status':
      for (const status of await stackStatus())
        console.log(formatStatus(status));
      return 0;
    case 'reset':
      await stackReset({ yes: flags.includes('--yes') });
      return 0;
    default:
      console.error(usage);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
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
