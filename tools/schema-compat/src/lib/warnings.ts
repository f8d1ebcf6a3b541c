import type { JsonPath } from './model';

/**
 * A schema the registry accepts (it parses with Avro 1.12 Java) but the Avro
 * spec or avsc, the apps' runtime, does not. Reported, never fatal: the
 * verdict is the registry's.
 */
export interface SchemaWarning {
  readonly jsonPath: JsonPath;
  readonly message: string;
}

/** Which avsc error a finding explains, to put avsc's own message at the right place. */
export type AvscTopic = 'default' | 'name' | 'duplicate';

/** A construct Java accepts that the spec or avsc may not, found while parsing. */
export interface LenientFinding {
  readonly jsonPath: JsonPath;
  /** What the schema does, e.g. `the default of field "status", "GONE", is not a symbol of enum Status`. */
  readonly what: string;
  /** What the Avro spec says instead; absent when the spec allows it too. */
  readonly spec?: string;
  readonly avsc: AvscTopic;
}

const AVSC_TOPICS: readonly (readonly [AvscTopic, RegExp])[] = [
  ['default', /default/i],
  ['duplicate', /duplicate type name/i],
  ['name', /undefined type name|unknown type/i],
];

/**
 * The warnings for what the parser found, given avsc's verdict. Spec
 * disagreements are always reported; avsc's refusal is reported once, at the
 * finding its message is about (else at the root).
 */
export function warningsFor(
  findings: readonly LenientFinding[],
  avscError: string | undefined,
): SchemaWarning[] {
  const warnings: SchemaWarning[] = findings
    .filter((finding) => finding.spec !== undefined)
    .map((finding) => ({
      jsonPath: finding.jsonPath,
      message: `${finding.what}: the registry accepts it (Avro 1.12 Java does), but the Avro spec does not: ${finding.spec}`,
    }));
  if (avscError === undefined) return warnings;
  const topic = AVSC_TOPICS.find(([, pattern]) => pattern.test(avscError))?.[0];
  const cause =
    findings.find((finding) => finding.avsc === topic) ?? findings[0];
  warnings.push({
    jsonPath: cause?.jsonPath ?? [],
    message: `${cause === undefined ? 'this schema' : cause.what}: avsc, the apps' runtime, cannot load the schema although the registry accepts it (avsc: ${avscError})`,
  });
  return warnings;
}
