import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The parts of V8's `.cpuprofile` (Chrome DevTools format) a summary needs. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string };
  }[];
  readonly samples: readonly number[];
  /** Microseconds before each sample. */
  readonly timeDeltas: readonly number[];
}

export interface Share {
  readonly name: string;
  /** Share of the busy (non-idle) time, 0..1. */
  readonly share: number;
}

export interface ProfileSummary {
  readonly busyMs: number;
  /** Self time by where the code lives: an npm package, Node itself, the app's bundle, GC. */
  readonly places: readonly Share[];
  /** The functions with the most self time. */
  readonly functions: readonly Share[];
}

/**
 * Where a frame's code lives. The apps are webpack bundles that keep npm packages external, so a
 * package's frames carry its node_modules path and everything of this workspace is `app`.
 */
export function placeOf(frame: { functionName: string; url: string }): string {
  if (frame.url === '') {
    if (frame.functionName === '(garbage collector)') return 'GC';
    if (frame.functionName === '(idle)') return 'idle';
    return 'V8/native';
  }
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url);
  if (inModules?.[1] !== undefined) return inModules[1];
  if (frame.url.startsWith('node:')) return 'node';
  return 'app';
}

export function summarizeProfile(
  profile: CpuProfile,
  top: number,
): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const places = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, index) => {
    const frame = byId.get(id);
    const micros = profile.timeDeltas[index] ?? 0;
    if (frame === undefined) return;
    const place = placeOf(frame);
    if (place === 'idle') return;
    busy += micros;
    places.set(place, (places.get(place) ?? 0) + micros);
    const where = frame.url === '' ? '' : ` (${path.basename(frame.url)})`;
    const name = `${frame.functionName || '(anonymous)'}${where} [${place}]`;
    functions.set(name, (functions.get(name) ?? 0) + micros);
  });
  const ranked = (totals: Map<string, number>) =>
    [...totals]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({
        name,
        share: busy === 0 ? 0 : micros / busy,
      }));
  return {
    busyMs: busy / 1000,
    places: ranked(places),
    functions: ranked(functions),
  };
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

/** Lines for the log: per profile, the busiest places and functions. */
export function describeProfiles(dir: string, top = 12): string[] {
  const files = readdirSync(dir).filter((file) => file.endsWith('.cpuprofile'));
  return files.sort().flatMap((file) => {
    const profile = JSON.parse(
      readFileSync(path.join(dir, file), 'utf8'),
    ) as CpuProfile;
    const summary = summarizeProfile(profile, top);
    return [
      `${file}: ${(summary.busyMs / 1000).toFixed(1)} s busy (start-up included)`,
      `  by place: ${summary.places.map((p) => `${p.name} ${percent(p.share)}`).join(', ')}`,
      '  busiest functions (self time):',
      ...summary.functions.map(
        (f) => `    ${percent(f.share).padStart(6)}  ${f.name}`,
      ),
    ];
  });
}
