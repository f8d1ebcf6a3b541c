import {
  ENVIRONMENT_DEFAULTS,
  type RegistryConnection,
  registryConnectionFromEnvironment,
} from '@subtasks/config';
import { CONTRACT_CLASSES } from '@subtasks/contracts';
import { ContractRegistry } from '@subtasks/messaging';
import { registerSchemas } from './lib/register-schemas';

const USAGE = `Registers every contract schema in the Schema Registry, with each subject's compatibility level.

Usage: npx tsx tools/schema-registration/src/cli.ts [--url <registry base URL>]

The URL defaults to $SCHEMA_REGISTRY_URL, else ${ENVIRONMENT_DEFAULTS.SCHEMA_REGISTRY_URL}.
Credentials and CA: SCHEMA_REGISTRY_USERNAME + SCHEMA_REGISTRY_PASSWORD or SCHEMA_REGISTRY_TOKEN,
and SCHEMA_REGISTRY_CA_FILE, as for the apps.`;

/** The apps' registry settings, with `--url` in place of SCHEMA_REGISTRY_URL when given. */
function registryConnection(args: readonly string[]): RegistryConnection {
  const flag = args.indexOf('--url');
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (flag >= 0) {
    const value = args[flag + 1];
    if (value === undefined) {
      throw new Error('--url needs a value');
    }
    env['SCHEMA_REGISTRY_URL'] = value;
  }
  return registryConnectionFromEnvironment(env);
}

async function main(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const registry = new ContractRegistry({
    connection: registryConnection(args),
    mode: 'register',
  });
  try {
    return await registerSchemas(registry, CONTRACT_CLASSES, {
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    });
  } finally {
    await registry.close();
  }
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
