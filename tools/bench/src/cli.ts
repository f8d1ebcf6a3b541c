import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Entry point of `npm run bench` (tsx). The bench runs Nest apps whose dependency injection needs
 * TypeScript's decorator metadata, which tsx (esbuild) does not emit; so the bench proper runs in a
 * Node process compiling through @swc-node/register, which emits it, with tools/bench/tsconfig.run.json
 * (the workspace's `@subtasks/*` paths, CommonJS with interop).
 */
const child = spawn(
  process.execPath,
  [
    '-r',
    require.resolve('@swc-node/register'),
    path.join(__dirname, 'main.ts'),
    ...process.argv.slice(2),
  ],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      SWC_NODE_PROJECT: path.join(__dirname, '..', 'tsconfig.run.json'),
    },
  },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal === null ? 1 : 128);
});
