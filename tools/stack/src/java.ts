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

/** A folder of JDKs: each entry's java binary is at `<dir>/<entry>/<java>`. */
export interface JdkFolder {
  dir: string;
  java: string;
  /** Only entries whose name matches, e.g. Homebrew's opt/openjdk@21 among all its formulae. */
  entries?: RegExp;
}

/** Where Linux distributions, macOS installers and Homebrew put JDKs. */
export const jdkFolders: readonly JdkFolder[] = [
  { dir: '/usr/lib/jvm', java: 'bin/java' },
  { dir: '/Library/Java/JavaVirtualMachines', java: 'Contents/Home/bin/java' },
  { dir: '/opt/homebrew/opt', java: 'bin/java', entries: /^openjdk/ },
  { dir: '/usr/local/opt', java: 'bin/java', entries: /^openjdk/ },
];

export interface JavaSearchPlaces {
  env: NodeJS.ProcessEnv;
  folders: readonly JdkFolder[];
  isExecutable: (path: string) => boolean;
  listDir: (dir: string) => string[];
}

/** JAVA_HOME first, then `java` on PATH, then every JDK in the usual folders. */
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
  for (const folder of places.folders) {
    for (const entry of places.listDir(folder.dir).sort()) {
      if (folder.entries !== undefined && !folder.entries.test(entry)) continue;
      candidates.push(join(folder.dir, entry, folder.java));
    }
  }
  return candidates.filter((path) => places.isExecutable(path));
}

/** The places javaCandidates looks, for messages: "JAVA_HOME (unset), PATH, /usr/lib/jvm, …". */
export function javaSearchDescription(
  env: NodeJS.ProcessEnv,
  folders: readonly JdkFolder[] = jdkFolders,
): string {
  const javaHome = env['JAVA_HOME'];
  return [
    `JAVA_HOME (${javaHome === undefined || javaHome === '' ? 'unset' : javaHome})`,
    'PATH',
    ...folders.map(({ dir, entries }) =>
      entries === undefined ? dir : `${dir}/openjdk*`,
    ),
  ].join(', ');
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

/** What was found where, e.g. "found only /usr/bin/java (17)", or "no Java runtime found (…)". */
export function describeJavaSearch(
  examined: JavaSelection['examined'],
  env: NodeJS.ProcessEnv = process.env,
): string {
  return examined.length === 0
    ? `no Java runtime found (looked in ${javaSearchDescription(env)})`
    : `found only ${examined.map(({ path, major }) => `${path} (${major ?? 'unknown version'})`).join(', ')}`;
}

export function describeMissingJava(
  minMajor: number,
  purpose: string,
  examined: JavaSelection['examined'],
  env: NodeJS.ProcessEnv = process.env,
): string {
  return (
    `${purpose} needs Java ${minMajor} or newer: ${describeJavaSearch(examined, env)}. ` +
    `Install a JDK ${minMajor}+ (Debian/Ubuntu: \`sudo apt-get install -y openjdk-${minMajor}-jdk-headless\`; ` +
    `macOS: \`brew install openjdk@${minMajor}\`) and, if it is not on PATH or in one of those folders, set JAVA_HOME to it.`
  );
}

/** Every Java runtime on this machine, in the order findJava considers them, until one fits. */
export function searchJava(
  minMajor: number,
  env: NodeJS.ProcessEnv = process.env,
  probe: JavaProbe = probeJava,
): JavaSelection {
  const candidates = dedupeByRealPath(
    javaCandidates({ env, folders: jdkFolders, isExecutable, listDir }),
  );
  return selectJava(candidates, minMajor, probe);
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
  const { selected, examined } = searchJava(minMajor, env);
  if (selected !== undefined) return selected;
  throw new JavaNotFoundError(
    describeMissingJava(minMajor, purpose, examined, env),
  );
}
