import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stackUp } from '@subtasks/tool-stack';
import { workspaceRoot } from '../context';
import { type AppName, AppProcess, freePort } from '../system/app-process';
import { buildApps } from '../system/build-apps';
import { createTemporaryDatabase } from '../system/temporary-database';
import { UploadApi } from '../system/upload-api';
import {
  filesThatRan,
  roleOf,
  type FileRole,
  type ScriptCoverage,
} from './files-on-path';

const APPS: readonly AppName[] = ['api', 'subtask-worker'];
const WARM_UPS = 6;
const SETTLE_MS = 8_000;
const AFTER_UPLOAD_MS = 300;
const SNAPSHOT_TIMEOUT_MS = 30_000;
const PRELOAD = path.join(__dirname, 'coverage-window.cjs');
const ROLES: readonly FileRole[] = [
  'upload path',
  'http edge',
  'barrel',
  'generated',
];

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * `npm run upload-path`: which of the workspace's files one `PUT /subtasks/:id/result?wait=true`
 * passes, measured rather than read. Both built apps run under V8's precise coverage; after warm-up
 * uploads and a quiet spell the counts are reset, one upload runs to its settled flag, and every
 * workspace file with a function that ran meanwhile is listed, per app and by role. Files that also
 * ran in a second window of the same length without an upload are marked.
 */
async function main(): Promise<void> {
  const build = !process.argv.includes('--no-build');
  await stackUp({ log: (line) => log(`  ${line}`) });
  if (build) {
    log('building the apps…');
    await buildApps();
  }
  const database = await createTemporaryDatabase();
  const dir = mkdtempSync(path.join(tmpdir(), 'upload-path-'));
  const apps: AppProcess[] = [];
  try {
    const ports = { api: await freePort(), worker: await freePort() };
    const start = (app: AppName, env: Record<string, string>, port: number) =>
      AppProcess.start(
        app,
        app,
        {
          DATABASE_URL: database.url,
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          API_RATE_LIMIT: '0',
          UPLOAD_PATH_DIR: dir,
          UPLOAD_PATH_NAME: app,
          ...env,
        },
        `http://127.0.0.1:${port}/health`,
        undefined,
        ['--require', PRELOAD],
      );
    apps.push(
      await start(
        'subtask-worker',
        { WORKER_HEALTH_PORT: String(ports.worker) },
        ports.worker,
      ),
    );
    apps.push(await start('api', { PORT: String(ports.api) }, ports.api));
    const http = new UploadApi(`http://127.0.0.1:${ports.api}`, 1);
    const subtasks = await http.createSubtasks(WARM_UPS + 1, 1);
    for (const id of subtasks.slice(0, WARM_UPS))
      await http.putResult(id, true);
    await sleep(SETTLE_MS);

    let taken = 0;
    const snapshot = async () => {
      const n = taken++;
      writeFileSync(path.join(dir, `take-${n}`), '');
      const files = APPS.map((app) => path.join(dir, `${app}-${n}.json`));
      const deadline = Date.now() + SNAPSHOT_TIMEOUT_MS;
      while (!files.every((file) => existsSync(file))) {
        const stopped = apps.find((app) => !app.running);
        if (stopped !== undefined || Date.now() > deadline)
          throw new Error(
            `no coverage snapshot ${n}: ${stopped === undefined ? `not written within ${SNAPSHOT_TIMEOUT_MS} ms` : `${stopped.name} stopped`}`,
          );
        await sleep(25);
      }
      await sleep(100);
      return n;
    };
    await snapshot();
    const began = Date.now();
    await http.putResult(subtasks[WARM_UPS] as string, true);
    await sleep(AFTER_UPLOAD_MS);
    const windowMs = Date.now() - began;
    const upload = await snapshot();
    await sleep(windowMs);
    const idle = await snapshot();
    await http.close();

    const ran = async (app: AppName, n: number) =>
      filesThatRan(
        workspaceRoot,
        path.dirname(AppProcess.mainOf(app)),
        JSON.parse(
          readFileSync(path.join(dir, `${app}-${n}.json`), 'utf8'),
        ) as ScriptCoverage[],
      );
    const all = new Set<string>();
    const lines: string[] = [];
    for (const app of APPS) {
      const during = await ran(app, upload);
      const anyway = new Set(await ran(app, idle));
      during.forEach((file) => all.add(file));
      lines.push(`${app}: ${during.length} files`);
      for (const role of ROLES) {
        const files = during.filter((file) => roleOf(file) === role);
        if (files.length > 0)
          lines.push(
            `  ${role} (${files.length})`,
            ...files.map((f) => `    ${anyway.has(f) ? '*' : ' '} ${f}`),
          );
      }
    }
    const counts = ROLES.map(
      (role) => `${role} ${[...all].filter((f) => roleOf(f) === role).length}`,
    ).join(', ');
    lines.push(
      '',
      `one upload (${windowMs} ms window), both apps: ${all.size} distinct files — ${counts}`,
      '* also ran in a window of the same length without an upload: the upload passes some of these (the repository), timers run others (the relay, the reconciler)',
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
