import { execFile } from 'node:child_process';
import path from 'node:path';

/*
 * Proves the module-boundary rules really constrain: each forbidden import is linted as if it were a
 * file inside the project, and must fail `@nx/enforce-module-boundaries`; the allowed ones must pass.
 */

const workspaceRoot = path.resolve(__dirname, '..', '..', '..');
const eslintBin = path.join(
  workspaceRoot,
  'node_modules',
  'eslint',
  'bin',
  'eslint.js',
);

const TYPE_AWARE_RULES_OFF = {
  '@typescript-eslint/no-floating-promises': 'off',
  '@typescript-eslint/no-misused-promises': 'off',
  '@typescript-eslint/await-thenable': 'off',
};

interface LintMessage {
  ruleId: string | null;
  message: string;
}

/** Runs the real ESLint CLI (ESM config, as `nx lint` does) on code placed at `file`. */
function boundaryErrors(file: string, code: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [
        eslintBin,
        '--format',
        'json',
        '--stdin',
        '--stdin-filename',
        file,
        // The probe exists only on stdin, so it has no type information: type-aware rules off.
        '--parser-options',
        'projectService:false',
        '--rule',
        JSON.stringify(TYPE_AWARE_RULES_OFF),
      ],
      { cwd: workspaceRoot, env: { ...process.env, NX_DAEMON: 'false' } },
      (error, stdout) => {
        try {
          const [result] = JSON.parse(stdout) as { messages: LintMessage[] }[];
          resolve(
            (result?.messages ?? [])
              .filter((m) => m.ruleId === '@nx/enforce-module-boundaries')
              .map((m) => m.message),
          );
        } catch {
          reject(error ?? new Error(`eslint printed no JSON: ${stdout}`));
        }
      },
    );
    child.stdin?.end(code);
  });
}

describe('module boundaries', () => {
  jest.setTimeout(60_000);

  it.each([
    [
      'contracts import nothing of ours',
      'libs/contracts/src/forbidden.ts',
      "import { sharedEnvironment } from '@subtasks/config';\nexport const x = sharedEnvironment;\n",
      /tagged with "type:contracts" can only depend on libs tagged with "type:schemas"/,
    ],
    [
      'contracts depend on avsc only',
      'libs/contracts/src/forbidden.ts',
      "import { Kafka } from 'kafkajs';\nexport const x = Kafka;\n",
      /imports of "kafkajs" are not allowed|not allowed/i,
    ],
    [
      'apps never import each other',
      'apps/api/src/forbidden.ts',
      "import { workerEnvironment } from '../../subtask-worker/src/app/config/worker-environment';\nexport const x = workerEnvironment;\n",
      /relative or absolute path|scope:api/,
    ],
    [
      'only the data lib touches Prisma (app)',
      'apps/api/src/forbidden.ts',
      "import { PrismaClient } from '@prisma/client';\nexport const x = PrismaClient;\n",
      /is not allowed to import "@prisma\/client"/,
    ],
    [
      'only the data lib touches Prisma (messaging)',
      'libs/messaging/src/forbidden.ts',
      "import { Pool } from 'pg';\nexport const x = Pool;\n",
      /is not allowed to import "pg"/,
    ],
    [
      'messaging does not reach the database lib',
      'libs/messaging/src/forbidden.ts',
      "import { SubtasksRepository } from '@subtasks/subtasks-db';\nexport const x = SubtasksRepository;\n",
      /tagged with "type:messaging" can only depend on libs tagged with/,
    ],
    [
      'the app shell serves apps, never the libraries beneath it',
      'libs/messaging/src/forbidden.ts',
      "import { AppShellModule } from '@subtasks/app-shell';\nexport const x = AppShellModule;\n",
      /tagged with "type:messaging" can only depend on libs tagged with|Circular dependency between "messaging" and "app-shell"/,
    ],
    [
      'the app shell never imports an app',
      'libs/app-shell/src/forbidden.ts',
      "import { AppModule } from '../../../apps/api/src/app/app.module';\nexport const x = AppModule;\n",
      /relative or absolute path|imports of apps are forbidden|type:app-shell/,
    ],
  ])('%s', async (_rule, file, code, expected) => {
    const errors = await boundaryErrors(file, code);
    expect(errors.join('\n')).toMatch(expected);
  });

  it.each([
    [
      'apps/api/src/allowed.ts',
      "import { SubtasksRepository } from '@subtasks/subtasks-db';\nexport const x = SubtasksRepository;\n",
    ],
    [
      'apps/api/src/allowed.ts',
      "import { runApp } from '@subtasks/app-shell';\nexport const x = runApp;\n",
    ],
    [
      'libs/app-shell/src/allowed.ts',
      "import { SubtasksDbModule } from '@subtasks/subtasks-db';\nimport { MessagingModule } from '@subtasks/messaging';\nexport const x = [SubtasksDbModule, MessagingModule];\n",
    ],
    [
      'apps/subtask-worker/src/allowed.ts',
      "import { MessagingHealthModule } from '@subtasks/messaging';\nexport const x = MessagingHealthModule;\n",
    ],
  ])('allows %s', async (file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });
});
