import type { PathFigures } from './figures';

/** The line printed as soon as a path is measured. */
export function progressLine(path: PathFigures): string {
  const p50 = path.latencyMs ? `, p50 ${path.latencyMs.p50.toFixed(1)} ms` : '';
  const errors =
    path.errors > 0 ? `, ${path.errors} errors (${path.firstError ?? ''})` : '';
  return `${path.id}: ${Math.round(path.throughput).toLocaleString('en')} ${path.unit}${p50}${errors}`;
}
