import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_TYPES_DIR } from './fixtures/fixture-sources';

const cli = join(__dirname, 'cli.ts');

/** Runs the real CLI under tsx, as `nx run contracts:generate` does. */
function runCli(args: string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
} {
  const result = spawnSync(
    process.execPath,
    [require.resolve('tsx/cli'), cli, ...args],
    {
      encoding: 'utf8',
    },
  );
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

describe('contracts-gen CLI', () => {
  let dir: string;
  let schemas: string;
  let out: string;
  let args: string[];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'contracts-gen-cli-'));
    schemas = join(dir, 'schemas');
    out = join(dir, 'generated');
    args = ['--schemas', schemas, '--out', out];
    await cp(ALL_TYPES_DIR, schemas, { recursive: true });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the generated files, then --check passes', () => {
    const generate = runCli(args);
    expect(generate.stderr).toBe('');
    expect(generate.status).toBe(0);
    expect(generate.stdout).toContain('7 files');

    const check = runCli(['--check', ...args]);
    expect(check.status).toBe(0);
    expect(check.stdout).toContain('is up to date');
  }, 60_000);

  it('--check exits 1 naming each stale, missing and extra file, and writes nothing', async () => {
    await writeFile(join(out, 'start-job.ts'), '// edited by hand\n');
    await unlink(join(out, 'catalogue.ts'));
    await writeFile(join(out, 'leftover.ts'), 'export {};\n');

    const check = runCli(['--check', ...args]);

    expect(check.status).toBe(1);
    const lines = check.stderr.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^missing: .*generated\/catalogue\.ts$/),
        expect.stringMatching(/^extra: .*generated\/leftover\.ts$/),
        expect.stringMatching(/^stale: .*generated\/start-job\.ts$/),
      ]),
    );
    expect(await readFile(join(out, 'start-job.ts'), 'utf8')).toBe(
      '// edited by hand\n',
    );
  }, 60_000);

  it('--check notices a schema edit that was not regenerated', async () => {
    runCli(args);
    const file = join(schemas, 'start-job-reply.avsc');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace('"accepted"', '"isAccepted"'));

    const check = runCli(['--check', ...args]);

    expect(check.status).toBe(1);
    expect(check.stderr).toMatch(/^stale: .*generated\/start-job-reply\.ts$/m);
    await writeFile(file, original);
  }, 60_000);

  it('generating removes files it no longer produces', async () => {
    await writeFile(join(out, 'leftover.ts'), 'export {};\n');

    const generate = runCli(args);

    expect(generate.status).toBe(0);
    expect(runCli(['--check', ...args]).status).toBe(0);
  }, 60_000);

  it('exits 1 with file and path when the schemas are invalid', async () => {
    const file = join(schemas, 'start-job.avsc');
    const original = await readFile(file, 'utf8');
    await writeFile(
      file,
      original.replace('"type": "string"', '"type": ["int", "long"]'),
    );

    const result = runCli(['--check', ...args]);

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /start-job\.avsc: \$\.fields\[0\]\.type\[1\]: unsupported union/,
    );
    await writeFile(file, original);
  }, 60_000);

  it('exits 2 on an unknown option', () => {
    const result = runCli(['--chek']);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Usage:');
  }, 60_000);
});
