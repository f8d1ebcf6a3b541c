import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { SourceMapConsumer } from 'source-map';

/** One script's functions in a V8 precise-coverage snapshot (`Profiler.takePreciseCoverage`). */
export interface ScriptCoverage {
  readonly url: string;
  readonly functions: readonly {
    readonly ranges: readonly { startOffset: number; count: number }[];
  }[];
}

/** The kinds of workspace file a request passes, so the upload's own path can be told apart. */
export type FileRole = 'upload path' | 'http edge' | 'generated' | 'barrel';

/**
 * What a file is to the upload: the api's per-request HTTP edge (auth, rate limit, security
 * headers, body parsing), generated code, a barrel (`index.ts`, which the compiled CommonJS passes
 * through on each access of a re-export), or the upload's own path.
 */
export function roleOf(file: string): FileRole {
  if (/\/generated\//.test(file)) return 'generated';
  if (/(^|\/)index\.ts$/.test(file)) return 'barrel';
  if (/^apps\/api\/src\/app\/(http-edge|input)\//.test(file))
    return 'http edge';
  return 'upload path';
}

/**
 * The workspace source files (relative to `root`) with a function that ran in a snapshot of a
 * bundled app (`main.js` with its source map, as webpack writes it): each called function's start
 * mapped back to its source. Dependencies (node_modules, webpack's runtime) are left out.
 */
export async function filesThatRan(
  root: string,
  appDir: string,
  snapshot: readonly ScriptCoverage[],
): Promise<string[]> {
  const main = path.join(appDir, 'main.js');
  const code = readFileSync(main, 'utf8');
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++)
    if (code.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const map = await new SourceMapConsumer(
    JSON.parse(readFileSync(`${main}.map`, 'utf8')) as never,
  );
  const files = new Set<string>();
  try {
    const script = snapshot.find((s) => s.url.endsWith(main));
    for (const fn of script?.functions ?? []) {
      const first = fn.ranges[0];
      if (first === undefined || first.count === 0) continue;
      const position = positionOf(lineStarts, first.startOffset);
      // A function's first token may sit just before the mapped segment that names its source.
      const source =
        map.originalPositionFor({
          ...position,
          bias: SourceMapConsumer.LEAST_UPPER_BOUND,
        }).source ??
        map.originalPositionFor({
          ...position,
          bias: SourceMapConsumer.GREATEST_LOWER_BOUND,
        }).source;
      const file = workspaceFileOf(root, appDir, source);
      if (file !== undefined) files.add(file);
    }
  } finally {
    map.destroy();
  }
  return [...files].sort();
}

/** webpack names sources `webpack:///<path relative to the app's project>`; `external …` are packages. */
export function workspaceFileOf(
  root: string,
  appDir: string,
  source: string | null,
  exists: (file: string) => boolean = existsSync,
): string | undefined {
  if (source === null) return undefined;
  const relative = source.replace(/^webpack:\/\/\/?/, '');
  if (relative.startsWith('external ') || relative.startsWith('webpack/'))
    return undefined;
  // The source map's URLs come normalised: `./src/x` and `../../libs/x` lose their leading dots, so
  // a path is the app project's when it is there, else the workspace's.
  const projectDir = path.join(
    root,
    path.relative(path.join(root, 'dist'), appDir),
  );
  const inProject = path.resolve(projectDir, relative);
  const file = path.relative(
    root,
    exists(inProject) ? inProject : path.resolve(root, relative),
  );
  return file.startsWith('..') || file.includes('node_modules')
    ? undefined
    : file;
}

function positionOf(
  lineStarts: readonly number[],
  offset: number,
): { line: number; column: number } {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((lineStarts[middle] as number) <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - (lineStarts[low] as number) };
}
