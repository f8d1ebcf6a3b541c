import type { ReportSources } from '../lib/format';
import type { CompatibilityError } from '../lib/levels';
import type { JsonPath } from '../lib/model';
import type { ParsedSchema } from '../lib/schema';
import type { GateReport, SubjectReport } from './report';

/** The `--json` form: one object with the outcome, the base, the registry and every subject. */
export function formatGateJson(report: GateReport): string {
  const common = {
    outcome: report.outcome,
    exitCode: report.exitCode,
    base:
      report.base === undefined
        ? null
        : {
            ref: report.base.label,
            sha: report.base.sha,
            short: report.base.short,
          },
    notes: report.notes,
  };
  const body =
    report.outcome === 'bad-input'
      ? { ...common, problems: report.problems, summary: report.summary }
      : {
          ...common,
          ...(report.noBase === undefined ? {} : { noBase: report.noBase }),
          registry: report.registry,
          subjects: report.subjects.map(subjectJson),
          summary: report.summary,
        };
  return JSON.stringify(body, null, 2);
}

function subjectJson(subject: SubjectReport): object {
  const { result, sources, against, compatible, existingVersion } =
    subject.offline;
  return {
    subject: subject.subject,
    topic: subject.topic,
    file: subject.file ?? null,
    baseFile: subject.baseFile ?? null,
    change: subject.change,
    level: subject.level,
    baseLevel: subject.baseLevel ?? null,
    passed: subject.passed,
    offline: {
      compatible,
      against,
      existingVersion: existingVersion ?? null,
      errors:
        result === undefined || sources === undefined
          ? []
          : result.errors.map((error) => errorJson(error, sources)),
    },
    registry: subject.registry,
    notes: subject.notes,
    ...(subject.failure === undefined ? {} : { failure: subject.failure }),
  };
}

function errorJson(error: CompatibilityError, sources: ReportSources): object {
  const earlier = sources.previous[error.previousIndex];
  const [reader, writer] =
    error.direction === 'BACKWARD'
      ? [sources.newSchema, earlier]
      : [earlier, sources.newSchema];
  return {
    rule: error.rule,
    path: error.path,
    field: error.field ?? null,
    direction: error.direction,
    message: error.message,
    fix: error.fix,
    avro: error.avroMessage,
    reader: at(reader, error.readerJsonPath),
    writer: at(writer, error.writerJsonPath),
  };
}

function at(schema: ParsedSchema | undefined, path: JsonPath): string | null {
  if (schema === undefined) return null;
  const file = schema.source.file ?? '<schema>';
  const position = schema.positionOf(path);
  return position === undefined
    ? file
    : `${file}:${position.line}:${position.column}`;
}
