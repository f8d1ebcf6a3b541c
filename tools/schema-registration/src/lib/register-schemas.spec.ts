import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import {
  CONTRACT_CLASSES,
  UploadSubtaskResult,
  type ContractClass,
} from '@subtasks/contracts';
import { MessagingError, type RegisteredContract } from '@subtasks/messaging';
import { registerSchemas, type Registrar } from './register-schemas';

function recorder() {
  const lines = { out: [] as string[], err: [] as string[] };
  return {
    lines,
    output: {
      out: (line: string) => lines.out.push(line),
      err: (line: string) => lines.err.push(line),
    },
  };
}

function registrar(
  answer: (contract: ContractClass) => Promise<RegisteredContract>,
): Registrar {
  return { url: 'http://registry.test/apis/ccompat/v7', register: answer };
}

const registered = (contract: ContractClass, id: number) =>
  Promise.resolve({
    messageName: contract.messageName,
    subject: contract.subject,
    id,
    compatibility: contract.compatibility,
  });

describe('registerSchemas', () => {
  it('registers every contract and prints subject → id (level)', async () => {
    const { lines, output } = recorder();
    let nextId = 1;

    const code = await registerSchemas(
      registrar((contract) => registered(contract, nextId++)),
      CONTRACT_CLASSES,
      output,
    );

    expect(code).toBe(0);
    expect(lines.out).toEqual([
      'SUBTASK_RESULT_UPLOADED-value → 1 (BACKWARD)',
      'UPLOAD_SUBTASK_RESULT-value → 2 (BACKWARD)',
      'UPLOAD_SUBTASK_RESULT.reply-value → 3 (BACKWARD)',
    ]);
    expect(lines.err).toEqual([]);
  });

  it("prints the registry's message for a rejected schema, registers the rest, and fails", async () => {
    const { lines, output } = recorder();

    const code = await registerSchemas(
      registrar((contract) =>
        contract === UploadSubtaskResult
          ? Promise.reject(
              new MessagingError(
                'SCHEMA_REJECTED',
                'The registry rejected the schema of UploadSubtaskResult under subject UPLOAD_SUBTASK_RESULT-value: Incompatible artifact: UPLOAD_SUBTASK_RESULT-value [AVRO], list of diff types: [extra at /fields/4]',
              ),
            )
          : registered(contract, 9),
      ),
      CONTRACT_CLASSES,
      output,
    );

    expect(code).toBe(1);
    expect(lines.out).toHaveLength(2);
    expect(lines.err[0]).toMatch(
      /^✗ UPLOAD_SUBTASK_RESULT-value: .*Incompatible artifact.*extra at \/fields\/4/,
    );
    expect(lines.err[1]).toBe('1 of 3 schema(s) were not registered.');
  });

  it('stops at the first failure when the registry is unreachable', async () => {
    const { lines, output } = recorder();
    let calls = 0;

    const code = await registerSchemas(
      registrar(() => {
        calls += 1;
        return Promise.reject(
          new MessagingError('REGISTRY_UNAVAILABLE', 'connect ECONNREFUSED'),
        );
      }),
      CONTRACT_CLASSES,
      output,
    );

    expect(code).toBe(1);
    expect(calls).toBe(1);
    expect(lines.err[1]).toContain('unreachable');
  });
});

describe('cli', () => {
  const cli = resolve(__dirname, '..', 'cli.ts');
  const workspaceRoot = resolve(__dirname, '..', '..', '..', '..');

  function run(args: string[], env: Record<string, string> = {}) {
    return spawnSync(
      process.execPath,
      [resolve(workspaceRoot, 'node_modules/tsx/dist/cli.mjs'), cli, ...args],
      {
        cwd: workspaceRoot,
        env: { ...process.env, ...env },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
  }

  it('exits non-zero with a clear message when the registry is unreachable', async () => {
    const result = run([
      '--url',
      `http://127.0.0.1:${await closedPort()}/apis/ccompat/v7`,
    ]);

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /unavailable \(fetch failed \(connect ECONNREFUSED/,
    );
    expect(result.stderr).toContain('Is the local stack up?');
  }, 60_000);

  it('names a bad SCHEMA_REGISTRY_URL', () => {
    const result = run([], { SCHEMA_REGISTRY_URL: 'not a url' });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'SCHEMA_REGISTRY_URL: must be an http(s) URL',
    );
  }, 60_000);
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (address === null || typeof address === 'string') {
    throw new Error('no port');
  }
  return address.port;
}
