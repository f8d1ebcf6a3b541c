import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GeneratedFile, SchemaSources } from './generate';

/** Reads catalogue.json and every .avsc file of a schemas folder. */
export async function readSchemaSources(
  schemasDir: string,
): Promise<SchemaSources> {
  const names = (await readdir(schemasDir))
    .filter((name) => name.endsWith('.avsc'))
    .sort();
  const schemas = new Map<string, string>();
  for (const name of names) {
    schemas.set(name, await readFile(join(schemasDir, name), 'utf8'));
  }
  return {
    catalogue: await readFile(join(schemasDir, 'catalogue.json'), 'utf8'),
    schemas,
  };
}

/** Every file of the output folder (path → content); empty when the folder does not exist. */
export async function readOutputDir(
  outDir: string,
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  let entries: string[];
  try {
    entries = await readdir(outDir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return files;
    }
    throw error;
  }
  for (const entry of entries.sort()) {
    try {
      files.set(
        entry.split('\\').join('/'),
        await readFile(join(outDir, entry), 'utf8'),
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EISDIR') {
        throw error;
      }
    }
  }
  return files;
}

/**
 * Makes the output folder hold exactly `files`: writes what changed, deletes what is no longer
 * generated. Returns the paths written or deleted.
 */
export async function syncOutputDir(
  outDir: string,
  files: readonly GeneratedFile[],
): Promise<string[]> {
  const existing = await readOutputDir(outDir);
  const touched: string[] = [];
  await mkdir(outDir, { recursive: true });
  for (const file of files) {
    if (existing.get(file.path) !== file.content) {
      await writeFile(join(outDir, file.path), file.content);
      touched.push(file.path);
    }
  }
  const wanted = new Set(files.map((file) => file.path));
  for (const path of existing.keys()) {
    if (!wanted.has(path)) {
      await rm(join(outDir, path));
      touched.push(path);
    }
  }
  return touched.sort();
}
