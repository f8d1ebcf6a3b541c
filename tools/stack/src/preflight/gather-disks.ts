import { existsSync, statfsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { StackPaths } from '../paths';
import type { DiskFact } from './facts';

const megabyte = 1024 * 1024;
/** Measured: the cache holds ~210 MB; the registry's archive sits next to its unpacked copy meanwhile. */
const downloadBytes = 600 * megabyte;
/** Maven keeps its own copy of what it downloads in ~/.m2/repository (~250 MB). */
const mavenRepositoryBytes = 400 * megabyte;
/** Kafka's log, the embedded PostgreSQL (~40 MB empty), logs. */
const dataBytes = 200 * megabyte;

/** The folder itself, or its nearest existing parent (the file system it will be on). */
function existingFolder(dir: string): string {
  let current = dir;
  while (!existsSync(current) && dirname(current) !== current)
    current = dirname(current);
  return current;
}

/** Room for what the next `up` writes: downloads (unless cached), Maven's copy, data and logs. */
export function diskFacts(
  env: NodeJS.ProcessEnv,
  paths: StackPaths,
  cached: boolean,
): DiskFact[] {
  const needs = [
    {
      dir: existingFolder(paths.root),
      what: cached
        ? 'data and logs in .stack/'
        : 'downloads, data and logs in .stack/',
      bytes: dataBytes + (cached ? 0 : downloadBytes),
    },
    ...(cached
      ? []
      : [
          {
            dir: existingFolder(
              join(env['HOME'] ?? homedir(), '.m2', 'repository'),
            ),
            what: "Maven's copy of the downloads",
            bytes: mavenRepositoryBytes,
          },
        ]),
  ];
  // Two needs on one file system add up.
  const byDevice = new Map<number, DiskFact>();
  for (const need of needs) {
    const device = statSync(need.dir).dev;
    const known = byDevice.get(device);
    if (known !== undefined) {
      known.neededBytes += need.bytes;
      known.what = `${known.what} and ${need.what}`;
      continue;
    }
    const stats = statfsSync(need.dir);
    byDevice.set(device, {
      dir: need.dir,
      freeBytes: stats.bavail * stats.bsize,
      neededBytes: need.bytes,
      what: need.what,
    });
  }
  return [...byDevice.values()];
}
