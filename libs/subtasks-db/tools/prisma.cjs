#!/usr/bin/env node
// Runs the Prisma CLI the way it works offline: JS engine through prisma.config.ts, no telemetry,
// and a preload that lets the process exit as soon as the work is done.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const preload = path.join(__dirname, 'unref-timers.cjs');
const cli = require.resolve('prisma/build/index.js');
const result = spawnSync(
  process.execPath,
  [
    cli,
    ...process.argv.slice(2),
    '--config',
    path.join(__dirname, '..', 'prisma.config.ts'),
  ],
  {
    stdio: 'inherit',
    cwd: path.join(__dirname, '..'),
    env: {
      ...process.env,
      CHECKPOINT_DISABLE: '1',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      NODE_OPTIONS: [process.env.NODE_OPTIONS, `--require ${preload}`]
        .filter(Boolean)
        .join(' '),
    },
  },
);
process.exit(result.status ?? 1);
