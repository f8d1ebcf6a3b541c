import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { findDrift } from './lib/drift';
import { readOutputDir, readSchemaSources, syncOutputDir } from './lib/files';
import { generateContracts } from './lib/generate';
import { GeneratorError } from './lib/problems';

const USAGE = `Usage: tsx tools/contracts-gen/src/cli.ts [--check] [--schemas <dir>] [--out <dir>]

Generates libs/contracts/src/generated from schemas/ (catalogue.json + *.avsc).
  --check          write nothing; exit 1 naming each stale, missing or extra file
  --schemas <dir>  schemas folder (default: <workspace>/schemas)
  --out <dir>      output folder (default: <workspace>/libs/contracts/src/generated)`;

const workspaceRoot = resolve(__dirname, '../../..');

function shown(path: string): string {
  return relative(process.cwd(), path) || '.';
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        check: { type: 'boolean', default: false },
        schemas: { type: 'string', default: resolve(workspaceRoot, 'schemas') },
        out: {
          type: 'string',
          default: resolve(workspaceRoot, 'libs/contracts/src/generated'),
        },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const schemasDir = resolve(args.schemas);
  const outDir = resolve(args.out);

  // The CLI formats as `prettier --write` would: the project's config, .editorconfig included.
  const prettierConfig = await prettier.resolveConfig(
    resolve(outDir, 'index.ts'),
    {
      editorconfig: true,
    },
  );
  const files = await generateContracts(await readSchemaSources(schemasDir), {
    schemasLabel: shown(schemasDir),
    format: prettierConfig ?? {},
  });

  if (args.check) {
    const drift = findDrift(files, await readOutputDir(outDir));
    if (drift.length === 0) {
      console.log(
        `contracts-gen: ${shown(outDir)} is up to date (${files.length} files)`,
      );
      return 0;
    }
    for (const { path, kind } of drift) {
      console.error(`${kind}: ${shown(resolve(outDir, path))}`);
    }
    console.error(
      `contracts-gen: ${shown(outDir)} does not match ${shown(schemasDir)}; run \`npx nx run contracts:generate\` and commit the result`,
    );
    return 1;
  }

  const touched = await syncOutputDir(outDir, files);
  console.log(
    `contracts-gen: ${files.length} files in ${shown(outDir)}, ${touched.length} changed${touched.length > 0 ? `: ${touched.join(', ')}` : ''}`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof GeneratorError) {
      console.error(
        `contracts-gen: cannot generate contracts:\n${error.message}`,
      );
    } else {
      console.error(error);
    }
    process.exitCode = 1;
  },
);
