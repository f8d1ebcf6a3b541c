import { spawn, spawnSync } from 'node:child_process';
import { loadStackConfig } from './config';
import { findRepoRoot } from './paths';
import { stackUp } from './stack';

/*
 * `npm start`: the local stack, migrations, schemas registered, then both apps serving until Ctrl-C.
 * The stack keeps running afterwards (`npm run stack:down` stops it) so the next start is fast.
 */

const cwd = findRepoRoot();
// `npm start` runs under `tsx --tsconfig …`, which exports a relative TSX_TSCONFIG_PATH that tools
// started in another folder must not inherit.
const { TSX_TSCONFIG_PATH: _relativeToRoot, ...inherited } = process.env;
const env: NodeJS.ProcessEnv = {
  ...inherited,
  NX_DAEMON: 'false',
  NX_TUI: 'false',
};

function step(title: string, args: string[]): void {
  console.log(`\n=== ${title}`);
  const result = spawnSync('npx', args, { cwd, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${title} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

async function main(): Promise<void> {
  console.log('=== stack:up');
  await stackUp();
  step('migrations (subtasks-db:db:migrate)', [
    'nx',
    'run',
    'subtasks-db:db:migrate',
  ]);
  step('schemas (schemas:register)', ['nx', 'run', 'schemas:register']);

  const config = loadStackConfig();
  const apiPort = process.env['PORT'] ?? '3000';
  const workerPort = process.env['WORKER_HEALTH_PORT'] ?? '3001';
  console.log(
    [
      '',
      '=== serving api and subtask-worker (Ctrl-C stops the apps; `npm run stack:down` stops the servers)',
      `  api                 http://127.0.0.1:${apiPort}  (health /health, OpenAPI /docs)`,
      `  subtask-worker      http://127.0.0.1:${workerPort}/health`,
      `  kafka               ${config.kafkaBrokers.join(',')}`,
      `  schema registry     ${config.schemaRegistryUrl}`,
      `  logs of the servers .stack/logs/`,
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

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
