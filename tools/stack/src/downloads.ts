import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { stackDefaults } from './config';
import { acquireLock } from './lock';
import type { StackPaths } from './paths';
import { runCommand } from './run-command';

const dependencyPlugin =
  'org.apache.maven.plugins:maven-dependency-plugin:3.8.1';
const registryArtifact = `io.apicurio:apicurio-registry-app:${stackDefaults.versions.registry}:tar.gz:all`;

/**
 * Fills `target` through a temporary sibling and renames it only when complete,
 * so an interrupted download leaves no half-filled cache behind and is simply retried.
 */
async function fillOnce(
  target: string,
  onDownload: () => void,
  fill: (tempDir: string) => Promise<void>,
): Promise<boolean> {
  if (existsSync(target)) return false;
  mkdirSync(dirname(target), { recursive: true });
  // The default stack and a cluster profile may both start on a fresh machine at once.
  const release = await acquireLock(`${target}.lock`, {
    timeoutMs: 15 * 60_000,
    onWait: () => undefined,
  });
  try {
    if (existsSync(target)) return false;
    onDownload();
    const tempDir = `${target}.partial`;
    rmSync(tempDir, { recursive: true, force: true });
    mkdirSync(tempDir, { recursive: true });
    try {
      await fill(tempDir);
    } catch (error) {
      rmSync(tempDir, { recursive: true, force: true });
      throw error;
    }
    renameSync(tempDir, target);
    return true;
  } finally {
    release();
  }
}

function kafkaCacheDir(paths: StackPaths): string {
  return join(paths.cache, `kafka-${stackDefaults.versions.kafka}`);
}

function registryCacheDir(paths: StackPaths): string {
  return join(
    paths.cache,
    `apicurio-registry-${stackDefaults.versions.registry}`,
  );
}

/** True once Kafka and the registry are in the cache: `up` needs neither Maven nor the network. */
export function downloadsCached(paths: StackPaths): boolean {
  return (
    existsSync(kafkaCacheDir(paths)) && existsSync(registryCacheDir(paths))
  );
}

export interface Download {
  dir: string;
  downloaded: boolean;
}

/** Kafka's jars (and their runtime dependencies) listed in tools/stack/pom.xml. Returns the lib dir. */
export async function ensureKafkaJars(
  paths: StackPaths,
  onDownload: () => void,
): Promise<Download> {
  const dir = kafkaCacheDir(paths);
  const downloaded = await fillOnce(dir, onDownload, async (tempDir) => {
    await runCommand(
      'mvn',
      [
        '-B',
        '-q',
        '-f',
        paths.pom,
        `${dependencyPlugin}:copy-dependencies`,
        '-DincludeScope=runtime',
        `-DoutputDirectory=${join(tempDir, 'lib')}`,
      ],
      { what: `Downloading Kafka ${stackDefaults.versions.kafka}` },
    );
  });
  return { dir: join(dir, 'lib'), downloaded };
}

/** Apicurio Registry's Quarkus app, unpacked. Returns the folder holding quarkus-run.jar. */
export async function ensureRegistryApp(
  paths: StackPaths,
  onDownload: () => void,
): Promise<Download> {
  const dir = registryCacheDir(paths);
  const what = `Downloading Apicurio Registry ${stackDefaults.versions.registry}`;
  const downloaded = await fillOnce(dir, onDownload, async (tempDir) => {
    const archiveDir = join(tempDir, 'archive');
    await runCommand(
      'mvn',
      [
        '-B',
        '-q',
        `${dependencyPlugin}:copy`,
        `-Dartifact=${registryArtifact}`,
        `-DoutputDirectory=${archiveDir}`,
      ],
      { what, cwd: tempDir },
    );
    const archive = readdirSync(archiveDir).find((name) =>
      name.endsWith('.tar.gz'),
    );
    if (archive === undefined)
      throw new Error(`${what}: mvn produced no .tar.gz in ${archiveDir}`);
    const appDir = join(tempDir, 'app');
    mkdirSync(appDir);
    await runCommand('tar', ['-xzf', join(archiveDir, archive), '-C', appDir], {
      what: `Unpacking ${archive}`,
    });
    rmSync(archiveDir, { recursive: true, force: true });
  });
  return { dir: findQuarkusAppDir(join(dir, 'app')), downloaded };
}

function findQuarkusAppDir(appDir: string): string {
  const found = findFolderHolding(appDir, 'quarkus-run.jar', 3);
  if (found === undefined) {
    throw new Error(
      `No quarkus-run.jar under ${appDir}; delete that folder to download it again`,
    );
  }
  return found;
}

function findFolderHolding(
  dir: string,
  fileName: string,
  depth: number,
): string | undefined {
  if (existsSync(join(dir, fileName))) return dir;
  if (depth === 0) return undefined;
  for (const entry of readdirSync(dir)) {
    const child = join(dir, entry);
    if (statSync(child).isDirectory()) {
      const found = findFolderHolding(child, fileName, depth - 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
