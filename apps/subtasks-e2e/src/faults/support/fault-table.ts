/** One line of the suite's table. */
export interface FaultRow {
  readonly scenario: string;
  readonly uploads: number;
  readonly answers: Readonly<Record<string, number>>;
  readonly stored: number;
  readonly timedOut: number;
  readonly rejected: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly flagsLeft: number;
  readonly eventsExact: number;
  readonly eventsDuplicate: number;
  readonly eventsMissing: number;
  readonly parked: number;
  /** Seconds from the restart of what was killed until uploads were stored again. */
  readonly recoverySeconds?: number;
}

const HEADINGS = [
  'scenario',
  'uploads',
  'answers by status',
  'stored',
  'timed out/rejected',
  'lost',
  'dup versions',
  'flags left',
  'events exact/dup',
  'parked',
  'recovery s',
] as const;

function cells(row: FaultRow): string[] {
  const answers = Object.entries(row.answers)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, n]) => `${status}:${n}`)
    .join(' ');
  const events = `${row.eventsExact}/${row.eventsDuplicate}${row.eventsMissing > 0 ? ` (${row.eventsMissing} missing)` : ''}`;
  return [
    row.scenario,
    String(row.uploads),
    answers,
    String(row.stored),
    `${row.timedOut}/${row.rejected}`,
    String(row.lost),
    String(row.duplicates),
    String(row.flagsLeft),
    events,
    String(row.parked),
    row.recoverySeconds === undefined ? '-' : row.recoverySeconds.toFixed(1),
  ];
}

/** A plain-text table, numbers right-aligned. */
export function formatFaultTable(rows: readonly FaultRow[]): string {
  const table = [[...HEADINGS], ...rows.map(cells)];
  const widths = HEADINGS.map((_, column) =>
    Math.max(...table.map((line) => (line[column] ?? '').length)),
  );
  const format = (line: string[]) =>
    line
      .map((cell, column) =>
        column === 0 || column === 2
          ? cell.padEnd(widths[column] ?? 0)
          : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [format(table[0] ?? []), rule, ...table.slice(1).map(format)].join(
    '\n',
  );
}
