import { formatHuman } from '../lib/format';
import type {
  GateReport,
  RegistryStatus,
  RegistryVerdict,
  SubjectReport,
} from './report';

/**
 * The gate's human output: base and registry used, a section per subject that
 * changed (notes, the checker's problems with file, line, field, rule and fix,
 * the registry's verdict), one summary line per subject, and a final line.
 */
export function formatGateHuman(report: GateReport): string {
  const lines: string[] = [];
  if (report.base !== undefined)
    lines.push(`schema gate: base ${report.base.label} (${report.base.short})`);
  if (report.outcome === 'bad-input') {
    lines.push(...report.notes.map((note) => `note: ${note}`));
    lines.push(...report.problems.map((problem) => `error: ${problem}`));
    lines.push(`${report.summary} (exit ${report.exitCode})`);
    return `${lines.join('\n')}\n`;
  }
  if (report.noBase !== undefined) lines.push(`schema gate: ${report.noBase}`);
  lines.push(`schema gate: ${describeRegistry(report.registry)}`);
  lines.push(...report.notes.map((note) => `note: ${note}`));

  for (const subject of report.subjects) {
    if (subject.change === 'unchanged' && subject.notes.length === 0) continue;
    lines.push(
      '',
      `── ${subject.subject} (${subject.file ?? subject.baseFile ?? ''})`,
    );
    lines.push(...subject.notes.map((note) => `   ${note}`));
    if (subject.failure !== undefined)
      lines.push(`   FAIL: ${subject.failure}`);
    const { result, sources } = subject.offline;
    if (result !== undefined && sources !== undefined)
      lines.push(formatHuman(result, sources).trimEnd());
    const registryLine = describeRegistryVerdict(subject);
    if (registryLine !== undefined) lines.push(registryLine);
  }

  if (report.subjects.length > 0) lines.push('');
  lines.push(...report.subjects.map(summaryLine));
  lines.push(report.summary);
  return `${lines.join('\n')}\n`;
}

/** `UPLOAD_SUBTASK_RESULT-value (BACKWARD): compatible (offline ✓, registry ✓)` */
export function summaryLine(subject: SubjectReport): string {
  const level =
    subject.baseLevel !== undefined && subject.baseLevel !== subject.level
      ? `${subject.level}, was ${subject.baseLevel}`
      : subject.level;
  return `${subject.subject} (${level}): ${verdictWords(subject)} (${markers(subject)})`;
}

function verdictWords(subject: SubjectReport): string {
  const { registry } = subject;
  if (
    (registry.status === 'checked' && !registry.agrees) ||
    registry.status === 'rejected'
  )
    return 'offline and registry DIFFER';
  switch (subject.change) {
    case 'unchanged':
      return 'unchanged';
    case 'new':
      return 'new subject, nothing to be compatible with';
    case 'removed':
      return subject.passed
        ? 'removed (allowed under NONE)'
        : `REMOVED: producers/consumers of topic ${subject.topic} break`;
    case 'changed': {
      if (subject.offline.compatible) return 'compatible';
      const count = subject.offline.result?.errors.length ?? 0;
      return `NOT compatible, ${count} problem${count === 1 ? '' : 's'}`;
    }
  }
}

function markers(subject: SubjectReport): string {
  const offline = `offline ${subject.offline.compatible ? '✓' : '✗'}`;
  const { registry } = subject;
  switch (registry.status) {
    case 'off':
      return `${offline}, registry off`;
    case 'unreachable':
      return `${offline}, registry unreachable`;
    case 'not-asked':
      return offline;
    case 'not-registered':
      return `${offline}, registry: not registered`;
    case 'rejected':
      return `${offline}, registry ✗ rejected the schema`;
    case 'checked': {
      const mark = registry.compatible ? '✓' : '✗';
      return registry.level === subject.level
        ? `${offline}, registry ${mark}`
        : `${offline}, registry ${mark} under its level ${registry.level}, offline ${registry.offline.compatible ? '✓' : '✗'} under ${registry.level}`;
    }
  }
}

function describeRegistry(status: RegistryStatus): string {
  switch (status.status) {
    case 'off':
      return 'registry not asked (--registry off)';
    case 'reachable':
      return `registry ${status.url}: reachable, asked about changed subjects (read-only)`;
    case 'unreachable':
      return `registry ${status.url}: unreachable (${status.reason ?? '?'}), offline checks only`;
  }
}

function describeRegistryVerdict(subject: SubjectReport): string | undefined {
  const verdict: RegistryVerdict = subject.registry;
  switch (verdict.status) {
    case 'not-registered':
      return `registry: ${subject.subject} is not registered, nothing to compare with`;
    case 'rejected':
      return `registry: DIFFERS: it rejected the schema the offline checker accepted: ${verdict.message}`;
    case 'checked':
      return checkedLines(subject, verdict).join('\n');
    default:
      return undefined;
  }
}

function checkedLines(
  subject: SubjectReport,
  verdict: Extract<RegistryVerdict, { status: 'checked' }>,
): string[] {
  const lines: string[] = [];
  if (verdict.existingVersion !== undefined) {
    lines.push(
      `registry: already holds this schema as version ${verdict.existingVersion}: registering it adds no version and checks nothing (accepted under ${verdict.level})`,
    );
  } else {
    const against =
      verdict.versions.length === 1 && verdict.versions[0]?.version === 'latest'
        ? `the latest version (${verdict.latestVersion})`
        : `versions ${verdict.versions.map((v) => `${v.version} ${v.compatible ? '✓' : '✗'}`).join(', ')}`;
    lines.push(
      `registry: ${words(verdict.compatible)} with ${against} under ${verdict.level}`,
    );
  }
  lines.push(
    ...verdict.history.differences.map(
      (difference) => `registry: its history differs from git's: ${difference}`,
    ),
  );
  if (verdict.agrees) return lines;
  lines.push(
    `registry: DIFFERS from the offline answer under ${verdict.level}: offline ${words(verdict.offline.compatible)} (against ${subject.offline.against.join(', ') || 'nothing'}), registry ${words(verdict.compatible)}`,
  );
  const checker = verdict.history.checkerOnRegistryVersions;
  if (checker !== undefined)
    lines.push(
      checker === verdict.compatible
        ? `registry: given the registry's own versions, the checker answers as the registry does (${words(checker)}): the answers differ because the histories do`
        : `registry: given the registry's own versions, the checker still answers ${words(checker)}: the checker and the registry differ on the same versions`,
    );
  return lines;
}

function words(compatible: boolean): string {
  return compatible ? 'compatible' : 'NOT compatible';
}
