import {
  ENVIRONMENT_DEFAULTS,
  parseEnvironment,
  sharedEnvironment,
} from '@subtasks/config';
import { CONTRACT_CLASSES } from '@subtasks/contracts';
import { ContractRegistry } from '@subtasks/messaging';
import { registerSchemas } from './lib/register-schemas';

const USAGE = `Registers every contract schema in the Schema Registry, with each subject's compatibility level.

Usage: npx tsx tools/schema-registration/src/cli.ts [--url <registry base URL>]

The URL defaults to $SCHEMA_REGISTRY_URL, else ${ENVIRONMENT_DEFAULTS.SCHEMA_REGISTRY_URL}.`;

function registryUrl(args: readonly string[]): string {
  const flag = args.indexOf('--url');
  if (flag >= 0) {
    const value = args[flag + 1];
    if (value === undefined) {
      throw new Error('--url needs a value');
    }
    return parseEnvironment(
      sharedEnvironment.pick({ SCHEMA_REGISTRY_URL: true }),
      {
        SCHEMA_REGISTRY_URL: value,
      },
    ).SCHEMA_REGISTRY_URL;
  }
  return parseEnvironment(
    sharedEnvironment.pick({ SCHEMA_REGISTRY_URL: true }),
    process.env,
  ).SCHEMA_REGISTRY_URL;
}

async function main(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const registry = new ContractRegistry({
    url: registryUrl(args),
    mode: 'register',
  });
  return registerSchemas(registry, CONTRACT_CLASSES, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `Schema registration failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
