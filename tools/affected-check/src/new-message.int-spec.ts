import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  deleteSubjectPermanently,
  deleteTopics,
} from '@subtasks/messaging/testing';
import { freePort } from '@subtasks/tool-stack';
import { Client } from 'pg';
import { z } from 'zod';
import {
  cloneWorkspace,
  repositoryRoot,
  type WorkspaceClone,
} from './lib/workspace-clone';

/*
 * The proof that a new message is one schema file: in a throwaway clone of the committed workspace,
 * a new command with its reply is added the way the README's "Changing a schema" says — the .avsc
 * pair, their catalogue entries, the handler and the endpoint that uses it, nothing else — and it is
 * generated, registered, documented in AsyncAPI, contract-tested and round-tripped end to end.
 */

const run = randomBytes(3).toString('hex').toUpperCase();
const TOPIC = `ARCHIVE_SUBTASK_${run}`;
const REPLY_TOPIC = `${TOPIC}.reply`;
const DEAD_LETTER_TOPIC = `${TOPIC}.dlq`;

const command = {
  type: 'record',
  name: 'ArchiveSubtask',
  namespace: 'com.labelling.subtasks.v1',
  doc: 'Command from the API to the subtask worker: archive one subtask.',
  fields: [
    { name: 'subtaskId', type: 'string', doc: 'The subtask to archive.' },
    { name: 'requestId', type: 'string', doc: 'The request this answers.' },
  ],
};
const reply = {
  type: 'record',
  name: 'ArchiveSubtaskReply',
  namespace: 'com.labelling.subtasks.v1',
  doc: "The worker's answer to one ArchiveSubtask.",
  fields: [
    { name: 'requestId', type: 'string', doc: 'The command it answers.' },
    { name: 'subtaskId', type: 'string', doc: 'The subtask it named.' },
    { name: 'archived', type: 'boolean', doc: 'Whether it is archived.' },
    {
      name: 'reason',
      type: ['null', 'string'],
      default: null,
      doc: 'Why not, when it is not.',
    },
  ],
};
const catalogueEntries = [
  {
    name: 'ArchiveSubtask',
    file: 'archive-subtask.avsc',
    role: 'command',
    topic: TOPIC,
    subject: `${TOPIC}-value`,
    compatibility: 'BACKWARD',
    reply: 'ArchiveSubtaskReply',
    deadLetterTopic: DEAD_LETTER_TOPIC,
    key: 'subtaskId',
    producer: 'api',
    consumers: ['subtask-worker'],
  },
  {
    name: 'ArchiveSubtaskReply',
    file: 'archive-subtask-reply.avsc',
    role: 'reply',
    topic: REPLY_TOPIC,
    subject: `${REPLY_TOPIC}-value`,
    compatibility: 'BACKWARD',
    key: 'subtaskId',
  },
];

const HANDLER_FILE =
  'apps/subtask-worker/src/app/uploads/upload-subtask-result.handler.ts';
const CONTROLLER_FILE = 'apps/api/src/app/subtasks/subtasks.controller.ts';

/** Replaces `anchor` in `text` once; fails when the file no longer has it (the proof must be redone). */
function insertAt(text: string, anchor: string, replacement: string): string {
  if (!text.includes(anchor))
    throw new Error(`the proof's edit no longer applies: no ${anchor}`);
  return text.replace(anchor, replacement);
}

/** The handler body: answers at once. */
function addHandler(text: string): string {
  const imported = insertAt(
    text,
    "  UploadSubtaskResultReply,\n} from '@subtasks/contracts';",
    "  UploadSubtaskResultReply,\n  ArchiveSubtask,\n  ArchiveSubtaskReply,\n} from '@subtasks/contracts';",
  );
  return insertAt(
    imported,
    '    return reply;\n  }\n',
    `    return reply;
  }

  @CommandHandler(ArchiveSubtask, {
    rejectWith: (command, reason) =>
      new ArchiveSubtaskReply({ ...command, archived: false, reason }),
  })
  archive(@ContractPayload() command: ArchiveSubtask): ArchiveSubtaskReply {
    return new ArchiveSubtaskReply({ ...command, archived: true, reason: null });
  }
`,
  );
}

/** The endpoint that uses it: sends the command and answers with the reply. */
function addEndpoint(text: string): string {
  const imported = insertAt(
    text,
    "import type { Response } from 'express';",
    "import { randomUUID } from 'node:crypto';\nimport { ArchiveSubtask } from '@subtasks/contracts';\nimport { ContractClient } from '@subtasks/messaging';\nimport type { Response } from 'express';",
  );
  const injected = insertAt(
    imported,
    'constructor(private readonly subtasks: SubtasksService) {}',
    `constructor(
    private readonly subtasks: SubtasksService,
    private readonly contracts: ContractClient,
  ) {}

  @Post(':id/archive')
  async archive(@Param() params: SubtaskIdParams): Promise<object> {
    const answer = await this.contracts.request(
      new ArchiveSubtask({ subtaskId: params.id, requestId: randomUUID() }),
    );
    return { archived: answer.archived, requestId: answer.requestId };
  }`,
  );
  return injected;
}

function writeFile(clone: WorkspaceClone, path: string, text: string): void {
  const file = join(clone.root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function editFile(
  clone: WorkspaceClone,
  path: string,
  edit: (text: string) => string,
): void {
  const file = join(clone.root, path);
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}

function changedPaths(clone: WorkspaceClone): string[] {
  return clone
    .git(['status', '--porcelain', '--untracked-files=all'])
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.slice(3))
    .sort();
}

/** What the README says adding a command with its reply costs. */
function documentedFileCount(readme: string): number {
  const stated = /touches \*\*(\d+) files\*\* by hand/.exec(readme)?.[1];
  if (stated === undefined)
    throw new Error(
      'README.md does not say how many files a new command touches ("touches **N files** by hand")',
    );
  return Number(stated);
}

const jestReport = z.object({
  numFailedTests: z.number(),
  testResults: z.array(
    z.object({
      assertionResults: z.array(
        z.object({ fullName: z.string(), status: z.string() }),
      ),
    }),
  ),
});

/** Runs a jest target of the clone and returns the names of the tests that passed. */
function passedTests(
  clone: WorkspaceClone,
  target: string,
  pattern: string,
  env: Readonly<Record<string, string>> = {},
): string[] {
  const output = join(clone.scratch, `${target.replace(':', '-')}.json`);
  clone.nx(
    [
      'run',
      target,
      '--',
      `--testPathPatterns=${pattern}`,
      '--json',
      `--outputFile=${output}`,
    ],
    env,
  );
  const report = jestReport.parse(JSON.parse(readFileSync(output, 'utf8')));
  expect(report.numFailedTests).toBe(0);
  return report.testResults.flatMap((file) =>
    file.assertionResults
      .filter((test) => test.status === 'passed')
      .map((test) => test.fullName),
  );
}

async function healthy(url: string, app: ChildProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (app.exitCode !== null)
      throw new Error(`${url}: the app exited with ${app.exitCode}`);
    const status = await fetch(url)
      .then((response) => response.status)
      .catch(() => 0);
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer 200 within 90 s`);
}

function stop(app: ChildProcess): Promise<void> {
  if (app.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    app.once('exit', () => resolve());
    app.kill('SIGTERM');
  });
}

const serverUrl =
  process.env['DATABASE_URL'] ??
  'postgresql://postgres@127.0.0.1:5432/postgres';

function databaseUrl(name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin(statement: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

describe('a new command with its reply, in a clone of the committed workspace', () => {
  let clone: WorkspaceClone;
  let handEdited: string[];

  beforeAll(() => {
    clone = cloneWorkspace(repositoryRoot(__dirname));
    writeFile(
      clone,
      'schemas/archive-subtask.avsc',
      `${JSON.stringify(command, null, 2)}\n`,
    );
    writeFile(
      clone,
      'schemas/archive-subtask-reply.avsc',
      `${JSON.stringify(reply, null, 2)}\n`,
    );
    editFile(clone, 'schemas/catalogue.json', (text) => {
      const catalogue = JSON.parse(text) as { messages: unknown[] };
      catalogue.messages.push(...catalogueEntries);
      return `${JSON.stringify(catalogue, null, 2)}\n`;
    });
    editFile(clone, HANDLER_FILE, addHandler);
    editFile(clone, CONTROLLER_FILE, addEndpoint);
    handEdited = changedPaths(clone);
    clone.nx(['run', 'contracts:generate']);
    clone.git(['add', '--all']);
    clone.git([
      '-c',
      'commit.gpgsign=false',
      'commit',
      '--quiet',
      '-m',
      'feat: archive a subtask',
    ]);
  }, 120_000);

  afterAll(async () => {
    await deleteTopics([TOPIC, REPLY_TOPIC, DEAD_LETTER_TOPIC]).catch(
      () => undefined,
    );
    for (const subject of [`${TOPIC}-value`, `${REPLY_TOPIC}-value`])
      await deleteSubjectPermanently(subject).catch(() => undefined);
    clone?.remove();
  }, 60_000);

  it('touches as many files by hand as the README says: the .avsc pair, the catalogue, the handler and the endpoint', () => {
    expect(handEdited).toEqual(
      [
        'schemas/archive-subtask.avsc',
        'schemas/archive-subtask-reply.avsc',
        'schemas/catalogue.json',
        HANDLER_FILE,
        CONTROLLER_FILE,
      ].sort(),
    );
    expect(handEdited).toHaveLength(
      documentedFileCount(readFileSync(join(clone.root, 'README.md'), 'utf8')),
    );
  });

  it('is generated: the classes exist, the generated folder is current and every project still typechecks', () => {
    const generated = clone
      .git(['show', '--name-only', '--format=', 'HEAD'])
      .split('\n')
      .filter((path) => path.startsWith('libs/contracts/src/generated/'));
    expect(generated).toEqual(
      expect.arrayContaining([
        'libs/contracts/src/generated/archive-subtask.ts',
        'libs/contracts/src/generated/archive-subtask-reply.ts',
        'libs/contracts/src/generated/asyncapi.json',
      ]),
    );
    clone.nx(['run', 'contracts:check-generated']);
    clone.nx([
      'run-many',
      '-t',
      'typecheck',
      '-p',
      'contracts,messaging,api,subtask-worker',
    ]);
  });

  it('is documented in AsyncAPI: its channels, the api sending it with its reply, the worker receiving it', () => {
    const document = z
      .object({
        channels: z.record(z.string(), z.object({ address: z.string() })),
        operations: z.record(
          z.string(),
          z.object({ action: z.string(), reply: z.unknown().optional() }),
        ),
      })
      .parse(
        JSON.parse(
          readFileSync(
            join(clone.root, 'libs/contracts/src/generated/asyncapi.json'),
            'utf8',
          ),
        ),
      );
    const addresses = Object.values(document.channels).map((c) => c.address);
    expect(addresses).toEqual(
      expect.arrayContaining([TOPIC, REPLY_TOPIC, DEAD_LETTER_TOPIC]),
    );
    expect(document.operations['api.send.ArchiveSubtask']?.reply).toBeDefined();
    expect(
      document.operations['subtask-worker.receive.ArchiveSubtask'],
    ).toEqual(expect.objectContaining({ action: 'receive' }));
  });

  it("is registered by the pipeline's own command", () => {
    const output = clone.nx(['run', 'schemas:register']);
    expect(output).toContain(`${TOPIC}-value`);
    expect(output).toContain(`${REPLY_TOPIC}-value`);
  });

  it('is contract-tested by the harness, with no test written for it', () => {
    const passed = passedTests(
      clone,
      'schema-compat:int-test',
      'contract-harness',
    );
    expect(passed).toEqual(
      expect.arrayContaining([
        'contract ArchiveSubtask round-trips a generated instance through the registry and the Confluent wire format',
        'contract ArchiveSubtaskReply reads records written with every earlier committed version of its schema',
      ]),
    );
  }, 300_000);

  it('is consumed by its declared consumer, and round-trips through the endpoint', async () => {
    const passed = passedTests(clone, 'subtasks-e2e:e2e', 'declared-consumers');
    expect(passed).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'ArchiveSubtask reaches the handler of subtask-worker',
        ),
      ]),
    );

    const database = `proof_${run.toLowerCase()}`;
    await admin(`CREATE DATABASE "${database}"`);
    const apps: ChildProcess[] = [];
    try {
      const env = { DATABASE_URL: databaseUrl(database) };
      clone.node(
        ['libs/subtasks-db/tools/prisma.cjs', 'migrate', 'deploy'],
        env,
      );
      const [apiPort, workerPort] = [await freePort(), await freePort()];
      const start = (app: string, own: Record<string, string>) => {
        const child = spawn(
          process.execPath,
          [join(clone.root, 'dist/apps', app, 'main.js')],
          {
            cwd: clone.root,
            env: { ...process.env, ...env, ...own },
            stdio: 'ignore',
          },
        );
        apps.push(child);
        return child;
      };
      const worker = start('subtask-worker', {
        WORKER_HEALTH_PORT: String(workerPort),
      });
      const api = start('api', { PORT: String(apiPort), API_RATE_LIMIT: '0' });
      await healthy(`http://127.0.0.1:${workerPort}/health`, worker);
      await healthy(`http://127.0.0.1:${apiPort}/health`, api);

      const base = `http://127.0.0.1:${apiPort}/subtasks`;
      const created = await fetch(base, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'archive me' }),
      });
      const { id } = z.object({ id: z.string() }).parse(await created.json());
      const archived = await fetch(`${base}/${id}/archive`, { method: 'POST' });
      expect(archived.status).toBe(201);
      expect(await archived.json()).toEqual({
        archived: true,
        requestId: expect.any(String),
      });
    } finally {
      for (const app of apps) await stop(app);
      await admin(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    }
  }, 900_000);
});
