import { spawn, spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { clusterClientEnvironment } from './cluster/client-settings';
import { clusterUp } from './cluster/cluster-stack';
import { parseStackArguments, UsageError } from './cluster/flags';
import { isDefaultSelection } from './cluster/profile';
import { loadPostgresConfig, loadStackConfig } from './config';
import { findRepoRoot } from './paths';
import { runPreflight } from './preflight/preflight';
import { stackUp } from './stack';

/*
 * `npm start [-- --brokers N --secure]`: the local stack (or the profile the flags select), migrations,
 * schemas registered, then both apps serving until Ctrl-C, configured only by the documented
 * variables (a profile's client.env). The stack keeps running afterwards (`npm run stack:down` with
 * the same flags stops it) so the next start is fast.
 */

const cwd = findRepoRoot();
// `npm start` runs under `tsx --tsconfig …`, which exports a relative TSX_TSCONFIG_PATH that tools
// started in another folder must not inherit.
const { TSX_TSCONFIG_PATH: _relativeToRoot, ...inherited } = process.env;
const env: NodeJS.ProcessEnv = {
  ...inherited,
  NX_DAEMON: 'false',
  NX_TUI: 'false',
  // Readable lines for a person at a terminal; JSON stays the apps' default everywhere else.
  ...(process.env['NODE_ENV'] === 'production' ||
  process.env['LOG_FORMAT'] !== undefined
    ? {}
    : { LOG_FORMAT: 'pretty' }),
};

function step(title: string, args: string[]): void {
  console.log(`\n=== ${title}`);
  const result = spawnSync('npx', args, { cwd, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${title} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

/** Brings up what the flags select and returns the addresses to print; sets the apps' variables. */
async function bringUpStack(argv: readonly string[]): Promise<string[]> {
  const { selection, ports } = parseStackArguments(['up', ...argv]);
  const defaultStack =
    isDefaultSelection(selection) && Object.keys(ports).length === 0;
  console.log('=== preflight');
  if (!(await runPreflight('start', { stackPorts: defaultStack })))
    process.exit(1);
  // The migrations and the apps use the stack's PostgreSQL, wherever it was found or started.
  env['DATABASE_URL'] = loadPostgresConfig().url;
  if (defaultStack) {
    console.log('\n=== stack:up');
    await stackUp();
    const config = loadStackConfig();
    return [
      `  kafka               ${config.kafkaBrokers.join(',')}`,
      `  schema registry     ${config.schemaRegistryUrl}`,
      `  logs of the servers .stack/logs/`,
    ];
  }
  console.log(`\n=== stack:up ${argv.join(' ')}`);
  const up = await clusterUp({ selection, ports });
  const client = clusterClientEnvironment(selection);
  Object.assign(env, client);
  return [
    `  kafka               ${client['KAFKA_BROKERS']}`,
    `  schema registry     ${client['SCHEMA_REGISTRY_URL']}`,
    `  client settings     ${up.clientEnvFile}`,
    `  logs of the servers ${dirname(up.clientEnvFile)}/logs/`,
  ];
}

async function main(argv: readonly string[]): Promise<void> {
  const addresses = await bringUpStack(argv);
  step('migrations (subtasks-db:db:migrate)', [
    'nx',
    'run',
    'subtasks-db:db:migrate',
  ]);
  step('schemas (schemas:register)', ['nx', 'run', 'schemas:register']);

  const apiPort = process.env['PORT'] ?? '3000';
  const workerPort = process.env['WORKER_HEALTH_PORT'] ?? '3001';
  console.log(
    [
      '',
      '=== serving api and subtask-worker (Ctrl-C stops the apps; `npm run stack:down` with the same flags stops the servers)',
      `  api                 http://127.0.0.1:${apiPort}  (health /health, OpenAPI /docs)`,
      `  subtask-worker      http://127.0.0.1:${workerPort}/health`,
      ...addresses,
      '',
    ].join('\n'),
  );
  const apps = spawn(
    'npx',
    [
      'nx',
      'run-many',
      '-t',
      'serve',
      '-p',
      'api',
      'subtask-worker',
      '--output-style=stream',
    ],
    { cwd, env, stdio: 'inherit' },
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => apps.kill(signal));
  }
  apps.on('close', (code) => process.exit(code ?? 0));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(
    error instanceof UsageError
      ? `npm start: ${error.message} (flags as for npm run stack:up)`
      : error instanceof Error
        ? error.message
        : error,
  );
  process.exit(1);
});
