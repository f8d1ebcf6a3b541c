import type {
  BenchReport,
  CpuPerUpload,
  PathRow,
  Ratio,
  RssFigures,
} from './figures';
import { ANCHORS } from './ratios';

const number = (value: number, digits = 0) =>
  value.toLocaleString('en', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });

const ms = (value: number | undefined) =>
  value === undefined ? '—' : number(value, value < 10 ? 2 : 1);

function ratioText(ratio: Ratio | null, row: PathRow): string {
  if (ratio) return `${number(ratio.value, 2)}× ${ratio.anchor}`;
  const isAnchor = Object.values(ANCHORS).some(
    (anchors) => anchors.throughput === row.id || anchors.p50 === row.id,
  );
  return isAnchor && ANCHORS[row.id] === undefined ? 'anchor' : '—';
}

/** The paths as one Markdown table (aligned, so it reads in a terminal and pastes into a README). */
export function pathTable(rows: readonly PathRow[]): string {
  const header = [
    'path',
    'in flight',
    'throughput',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    '× throughput',
    '× p50',
  ];
  const cells = rows.map((row) => [
    row.id,
    row.inFlight === null ? '—' : String(row.inFlight),
    `${number(row.throughput)} ${row.unit}`,
    ms(row.latencyMs?.p50),
    ms(row.latencyMs?.p95),
    ms(row.latencyMs?.p99),
    ratioText(row.throughputRatio, row),
    row.latencyMs === null ? '—' : ratioText(row.p50Ratio, row),
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...cells.map((line) => (line[i] as string).length)),
  );
  const numeric = new Set([1, 2, 3, 4, 5]);
  const line = (values: readonly string[]) =>
    `| ${values
      .map((value, i) =>
        numeric.has(i)
          ? value.padStart(widths[i] as number)
          : value.padEnd(widths[i] as number),
      )
      .join(' | ')} |`;
  const rule = `| ${widths
    .map((width, i) =>
      numeric.has(i) ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width),
    )
    .join(' | ')} |`;
  return [line(header), rule, ...cells.map(line)].join('\n');
}

export function cpuLine(cpu: CpuPerUpload, cores: number): string {
  const parts = Object.entries(cpu.perUploadMs).map(
    ([name, value]) =>
      `${name} ${value === null ? 'not measured' : number(value, 2)}`,
  );
  const busy =
    cpu.machineBusyCores === null
      ? ''
      : `; machine busy ${number(cpu.machineBusyCores, 2)} of ${cores} cores over ${number(cpu.seconds, 1)} s`;
  return `CPU ms per upload (${cpu.label}): ${parts.join(', ')}; total ${number(cpu.totalPerUploadMs, 2)}${busy}`;
}

export function rssLine(rss: RssFigures): string {
  const mb = (value: number | null | undefined) =>
    value === null || value === undefined ? '?' : number(value);
  const { checkpoint } = rss;
  const parts = Object.keys(rss.afterMb).map((name) => {
    const after = rss.afterMb[name];
    const middle = checkpoint?.mb[name];
    const growth =
      middle === null || middle === undefined || after === null || !middle
        ? ''
        : ` (${number((100 * (after - middle)) / middle, 1)}% after the first ${number(checkpoint?.uploads ?? 0)})`;
    const via = checkpoint === null ? '' : ` → ${mb(middle)}`;
    return `${name} ${mb(rss.beforeMb[name])}${via} → ${mb(after)} MB${growth}`;
  });
  const stages =
    checkpoint === null
      ? 'before → after'
      : `before → after ${number(checkpoint.uploads)} → after`;
  return `RSS ${stages} ${number(rss.uploads)} uploads: ${parts.join(', ')}`;
}

/** What limits the N-worker run: said from the machine's busy cores while it ran. */
export function coresLine(report: BenchReport): string {
  const { cores, cpuLimit } = report.machine;
  const base = `Cores: ${cores} (${cpuLimit}), shared by everything measured: broker, registry, PostgreSQL, apps and this load generator`;
  const many = report.cpu.find((cpu) => cpu.workers > 1);
  const row = report.paths.find((path) => path.id === 'http-wait-workers');
  if (!many || !row) return `${base}.`;
  const busy = many.machineBusyCores;
  const gain = row.throughputRatio
    ? `${number(row.throughputRatio.value, 2)}× the throughput of one worker`
    : 'no one-worker figure to compare with';
  const verdict =
    busy === null
      ? ''
      : busy >= 0.9 * cores
        ? `; ${number(busy, 2)} of ${cores} cores were busy meanwhile: CPU-bound, so another worker can only take CPU from the api, the broker and PostgreSQL`
        : `; ${number(busy, 2)} of ${cores} cores were busy meanwhile: not CPU-bound, the limit is elsewhere (waiting on round trips, one message at a time per partition)`;
  return `${base}. ${many.workers} workers: ${gain}${verdict}.`;
}

export function formatReport(report: BenchReport): string {
  const { machine, options } = report;
  const lines = [
    `bench ${report.runId}: ${machine.cores} cores (${machine.cpuModel}), Node ${machine.node}, load average ${machine.loadAverageAtStart.join(' ')} at start, ${machine.loadAverageAtEnd.join(' ')} at end`,
    `${options.inFlight} in flight, ${options.durationS} s per path after ${options.warmupS} s warm-up (anchor, typed and emit paths in ${options.rounds} interleaved rounds); ${report.runSeconds.toFixed(0)} s in all`,
    '',
    pathTable(report.paths),
    '',
    legend(report.paths),
    '',
    ...report.cpu.map((cpu) => cpuLine(cpu, report.machine.cores)),
    ...(report.rss ? [rssLine(report.rss)] : []),
    coresLine(report),
    '',
    '× throughput: this path over its anchor (higher is better); × p50: its median latency over the',
    "anchor's (lower is better). Both figures come from this run; across runs they swing ±2× with load.",
    ...report.paths
      .filter((path) => path.errors > 0 || path.note)
      .map(
        (path) =>
          `${path.id}: ${[path.note, path.errors > 0 ? `${path.errors} failed calls, first: ${path.firstError ?? '?'}` : undefined].filter(Boolean).join('; ')}`,
      ),
    ...report.skipped.map((s) => `skipped ${s.phase}: ${s.message}`),
    ...report.failures.map((f) => `FAILED ${f.phase}: ${f.message}`),
    ...report.warnings.map((w) => `warning: ${w}`),
  ];
  return lines.join('\n');
}

/** Each path's id and what it measures, for the legend under the table. */
export function legend(rows: readonly PathRow[]): string {
  return rows.map((row) => `  ${row.id.padEnd(18)} ${row.title}`).join('\n');
}
