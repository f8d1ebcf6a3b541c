import type { GeneratedFile } from './generate';

export interface Drift {
  readonly path: string;
  /** stale: differs from what would be generated; missing: would be generated; extra: would not. */
  readonly kind: 'stale' | 'missing' | 'extra';
}

/** Compares generated files with what is on disk (path → content), sorted by path. */
export function findDrift(
  expected: readonly GeneratedFile[],
  actual: ReadonlyMap<string, string>,
): Drift[] {
  const drift: Drift[] = [];
  const expectedPaths = new Set(expected.map((file) => file.path));
  for (const file of expected) {
    const onDisk = actual.get(file.path);
    if (onDisk === undefined) {
      drift.push({ path: file.path, kind: 'missing' });
    } else if (onDisk !== file.content) {
      drift.push({ path: file.path, kind: 'stale' });
    }
  }
  for (const path of actual.keys()) {
    if (!expectedPaths.has(path)) {
      drift.push({ path, kind: 'extra' });
    }
  }
  return drift.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
