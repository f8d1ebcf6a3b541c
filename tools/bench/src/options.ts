import path from 'node:path';
import { parseArgs } from 'node:util';

/** Every figure the bench can measure, in the order it measures them. */
export const PATH_IDS = [
  'serde-json',
  'serde-contract',
  'serde-avsc',
  'anchor-a',
  'anchor-a-seq',
  'anchor-b',
  'typed-send',
  'typed-dispatch',
  'typed-dispatch-seq',
  'produce',
  'emit',
  'http-wait',
  'http-wait-workers',
  'http-wait-traced',
  'http-wait-seq',
  'uploads',
  'http-202',
] as const;

export type PathId = (typeof PATH_IDS)[number];

/** Names for several paths at once in `--only`. */
export const PATH_GROUPS: Readonly<Record<string, readonly PathId[]>> = {
  serde: ['serde-json', 'serde-contract', 'serde-avsc'],
  anchors: ['anchor-a', 'anchor-a-seq', 'anchor-b'],
  typed: ['typed-send', 'typed-dispatch', 'typed-dispatch-seq'],
  emit: ['produce', 'emit'],
  http: [
    'http-wait',
    'http-wait-workers',
    'http-wait-traced',
    'http-wait-seq',
    'uploads',
    'http-202',
  ],
};

export interface BenchOptions {
  readonly inFlight: number;
  readonly durationMs: number;
  readonly warmupMs: number;
  /** The broker paths are measured in this many interleaved slices. */
  readonly rounds: number;
  readonly uploads: number;
  readonly workers: number;
  readonly only: ReadonlySet<PathId>;
  /** Where the JSON goes; default `dist/bench/bench-<timestamp>.json`. */
  readonly jsonFile: string | undefined;
  /** Build the apps first (`nx run-many -t build -p api subtask-worker`). */
  readonly build: boolean;
  /** How long to wait for other people's api/worker processes to end before the HTTP paths. */
  readonly idleWaitMs: number;
  /** Run the apps under V8's CPU profiler; their profiles and a summary go here. */
  readonly profileDir: string | undefined;
}

export const DEFAULTS = {
  inFlight: 50,
  durationS: 10,
  warmupS: 3,
  rounds: 3,
  uploads: 5000,
  workers: 1,
  idleWaitS: 600,
} as const;

export const USAGE = `Prints throughput and latency of the messaging paths side by side, from one run on one broker.

Usage: npm run bench [-- <options>]

  --in-flight N     concurrent calls of the loaded paths (default ${DEFAULTS.inFlight}); *-seq paths use 1
  --duration S      measured seconds per path (default ${DEFAULTS.durationS})
  --warmup S        unmeasured seconds of the same load before each path (default ${DEFAULTS.warmupS})
  --rounds N        the anchor, typed and emit paths run interleaved, each round giving every path
                    duration/N seconds, so that pairs meet the same machine load (default ${DEFAULTS.rounds})
  --uploads N       uploads (?wait=true) for the CPU-per-upload and RSS figures (default ${DEFAULTS.uploads});
                    RSS is read before, after the first fifth and after (100000: "from 20k to 100k")
  --workers N       with N > 1, also measures http-wait with N subtask-worker processes (same group)
  --only LIST       comma-separated paths or groups (default: all):
                      ${PATH_IDS.slice(0, 6).join(', ')},
                      ${PATH_IDS.slice(6, 11).join(', ')},
                      ${PATH_IDS.slice(11).join(', ')}
                      groups: ${Object.keys(PATH_GROUPS).join(', ')}
  --json FILE       write the figures here (default dist/bench/bench-<timestamp>.json)
  --no-build        use dist/apps as built; by default the apps are built first
  --idle-wait S     the HTTP paths use the apps' real topics and groups: how long to wait for other
                    api/worker processes to leave those groups (default ${DEFAULTS.idleWaitS}); then they are skipped
  --profile DIR     run the api and the workers under V8's CPU profiler (node --cpu-prof); their
                    .cpuprofile files go to DIR (open them in Chrome DevTools or speedscope) and the
                    busiest packages and functions of each app are printed
  -h, --help        this text

Starts the default stack when it is not running (and leaves it running), a temporary migrated database,
and the built api and subtask-worker as real processes. Ratios compare figures of the same run only.`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type ParsedCommandLine =
  | { readonly help: true }
  | { readonly help: false; readonly options: BenchOptions };

export function parseCommandLine(args: readonly string[]): ParsedCommandLine {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        'in-flight': { type: 'string' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        rounds: { type: 'string' },
        uploads: { type: 'string' },
        workers: { type: 'string' },
        only: { type: 'string' },
        json: { type: 'string' },
        'no-build': { type: 'boolean' },
        'idle-wait': { type: 'string' },
        profile: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) return { help: true };
  const workers = whole(values.workers, '--workers', DEFAULTS.workers, 1);
  return {
    help: false,
    options: {
      inFlight: whole(values['in-flight'], '--in-flight', DEFAULTS.inFlight, 1),
      durationMs: seconds(values.duration, '--duration', DEFAULTS.durationS),
      warmupMs: seconds(values.warmup, '--warmup', DEFAULTS.warmupS, 0),
      rounds: whole(values.rounds, '--rounds', DEFAULTS.rounds, 1),
      uploads: whole(values.uploads, '--uploads', DEFAULTS.uploads, 1),
      workers,
      only: selectedPaths(values.only, workers),
      jsonFile: values.json,
      build: !values['no-build'],
      idleWaitMs: seconds(
        values['idle-wait'],
        '--idle-wait',
        DEFAULTS.idleWaitS,
        0,
      ),
      profileDir:
        values.profile === undefined ? undefined : path.resolve(values.profile),
    },
  };
}

function whole(
  value: string | undefined,
  flag: string,
  fallback: number,
  min: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(
      `${flag} must be a whole number ≥ ${min}, got "${value}"`,
    );
  return n;
}

function seconds(
  value: string | undefined,
  flag: string,
  fallback: number,
  min = 0.1,
): number {
  if (value === undefined) return fallback * 1000;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min)
    throw new UsageError(
      `${flag} must be a number of seconds ≥ ${min}, got "${value}"`,
    );
  return Math.round(n * 1000);
}

function selectedPaths(
  value: string | undefined,
  workers: number,
): ReadonlySet<PathId> {
  const names =
    value === undefined
      ? [...PATH_IDS]
      : value
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name !== '');
  const selected = new Set<PathId>();
  for (const name of names) {
    const group = PATH_GROUPS[name];
    if (group) group.forEach((id) => selected.add(id));
    else if (isPathId(name)) selected.add(name);
    else
      throw new UsageError(
        `--only: unknown path "${name}"; paths: ${PATH_IDS.join(', ')}; groups: ${Object.keys(PATH_GROUPS).join(', ')}`,
      );
  }
  // A second worker is what that path measures; without one it would repeat http-wait.
  if (workers < 2) selected.delete('http-wait-workers');
  if (selected.size === 0)
    throw new UsageError(
      '--only selects no path (http-wait-workers needs --workers 2 or more)',
    );
  return selected;
}

function isPathId(name: string): name is PathId {
  return (PATH_IDS as readonly string[]).includes(name);
}
