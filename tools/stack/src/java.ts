import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface JavaRuntime {
  path: string;
  major: number;
}

/** Reads the major version from `java -version` output ("1.8.0_392" → 8, "21-ea" → 21, "25" → 25). */
export function parseJavaMajorVersion(
  versionOutput: string,
): number | undefined {
  const match = /version "([^"]+)"/.exec(versionOutput);
  if (match === null) return undefined;
  const parts = match[1].split(/[.\-+_]/);
  const major = Number(parts[0] === '1' ? parts[1] : parts[0]);
  return Number.isInteger(major) && major > 0 ? major : undefined;
}

export type JavaProbe = (javaPath: string) => number | undefined;

export interface JavaSelection {
  selected?: JavaRuntime;
  /** Every candidate looked at, for the error message when none fits. */
  examined: { path: string; major?: number }[];
}

/** The first candidate whose major version is at least `minMajor`, in the order given. */
export function selectJava(
  candidates: string[],
  minMajor: number,
  probe: JavaProbe,
): JavaSelection {
  const examined: JavaSelection['examined'] = [];
  for (const path of candidates) {
    const major = probe(path);
    examined.push({ path, major });
    if (major !== undefined && major >= minMajor) {
      return { selected: { path, major }, examined };
    }
  }
  return { examined };
}

export interface JavaSearchPlaces {
  env: NodeJS.ProcessEnv;
  jvmRoot: string;
  isExecutable: (path: string) => boolean;
  listDir: (dir: string) => string[];
}

/** JAVA_HOME first, then `java` on PATH, then every JDK under /usr/lib/jvm. */
export function javaCandidates(places: JavaSearchPlaces): string[] {
  const candidates: string[] = [];
  const javaHome = places.env['JAVA_HOME'];
  if (javaHome !== undefined && javaHome !== '') {
    candidates.push(join(javaHome, 'bin', 'java'));
  }
  const onPath = (places.env['PATH'] ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, 'java'))
    .find((path) => places.isExecutable(path));
  if (onPath !== undefined) candidates.push(onPath);
  for (const entry of places.listDir(places.jvmRoot).sort()) {
    candidates.push(join(places.jvmRoot, entry, 'bin', 'java'));
  }
  return candidates.filter((path) => places.isExecutable(path));
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function dedupeByRealPath(paths: string[]): string[] {
  const seen = new Set<string>();
  return paths.filter((path) => {
    const real = realpathSync(path);
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  });
}

const probeJava: JavaProbe = (javaPath) => {
  const result = spawnSync(javaPath, ['-version'], {
    encoding: 'utf8',
    timeout: 15_000,
  });
  if (result.error !== undefined) return undefined;
  return parseJavaMajorVersion(`${result.stderr}\n${result.stdout}`);
};

export function describeMissingJava(
  minMajor: number,
  purpose: string,
  examined: JavaSelection['examined'],
): string {
  const seen =
    examined.length === 0
      ? 'no Java runtime found (JAVA_HOME, PATH, /usr/lib/jvm)'
      : `found only ${examined.map(({ path, major }) => `${path} (${major ?? 'unknown version'})`).join(', ')}`;
  return (
    `${purpose} needs Java ${minMajor} or newer: ${seen}. ` +
    `Install a JDK ${minMajor}+ (e.g. Eclipse Temurin or your distribution's OpenJDK ${minMajor}) and, ` +
    'if it is not on PATH or under /usr/lib/jvm, set JAVA_HOME to it.'
  );
}

export class JavaNotFoundError extends Error {
  override readonly name = 'JavaNotFoundError';
}

/** Finds a Java runtime of at least `minMajor` on this machine, or throws a message saying what to install. */
export function findJava(
  minMajor: number,
  purpose: string,
  env: NodeJS.ProcessEnv = process.env,
): JavaRuntime {
  const candidates = dedupeByRealPath(
    javaCandidates({ env, jvmRoot: '/usr/lib/jvm', isExecutable, listDir }),
  );
  const { selected, examined } = selectJava(candidates, minMajor, probeJava);
  if (selected !== undefined) return selected;
  throw new JavaNotFoundError(describeMissingJava(minMajor, purpose, examined));
}
