import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const workspaceRoot = resolve(__dirname, '../../../..');
const GENERATOR_CLI = join(workspaceRoot, 'tools/contracts-gen/src/cli.ts');
const CONTRACTS_RUNTIME = join(workspaceRoot, 'libs/contracts/src/lib');

/** A schemas folder of a test's own: `catalogue.json` and the `.avsc` files by name. */
export interface TestSchemas {
  readonly catalogue: object;
  readonly schemas: Readonly<Record<string, string>>;
}

export interface GeneratedContracts {
  /** The generated index module's exports (classes and catalogue constants). */
  readonly exports: Readonly<Record<string, unknown>>;
  /** What the generator printed. */
  readonly log: string;
  remove(): Promise<void>;
}

/**
 * Runs the project's contracts generator on the test's schemas, into a temporary folder, and loads
 * the output through Jest, so ts-jest type-checks the generated code against the real contracts
 * runtime before the test runs it. The generator runs as `nx run contracts:generate` runs it (its
 * CLI): the module boundaries do not let the messaging lib import a tool.
 */
export async function generateTestContracts(
  sources: TestSchemas,
): Promise<GeneratedContracts> {
  const dir = await mkdtemp(join(tmpdir(), 'messaging-contracts-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    const schemasDir = join(dir, 'schemas');
    const outDir = join(dir, 'generated');
    await mkdir(schemasDir);
    await writeFile(
      join(schemasDir, 'catalogue.json'),
      JSON.stringify(sources.catalogue, null, 2),
    );
    for (const [file, text] of Object.entries(sources.schemas)) {
      await writeFile(join(schemasDir, file), text);
    }
    // The generated files import the runtime from `../lib` and types from avsc, as in libs/contracts.
    await symlink(CONTRACTS_RUNTIME, join(dir, 'lib'), 'dir');
    await symlink(
      join(workspaceRoot, 'node_modules'),
      join(dir, 'node_modules'),
      'dir',
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        require.resolve('tsx/cli'),
        GENERATOR_CLI,
        '--schemas',
        schemasDir,
        '--out',
        outDir,
      ],
      { cwd: workspaceRoot },
    );
    const exports = (await import(join(outDir, 'index.ts'))) as Record<
      string,
      unknown
    >;
    return { exports, log: stdout.trim(), remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
