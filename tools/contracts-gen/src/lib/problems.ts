/** One thing wrong with the schemas or the catalogue, located precisely enough to fix it. */
export interface Problem {
  /** The file, as shown to the user (e.g. `schemas/catalogue.json`). */
  readonly file: string;
  /** JSON path inside the file (e.g. `$.fields[2].type`); empty when about the whole file. */
  readonly path: string;
  readonly message: string;
}

export function formatProblem(problem: Problem): string {
  return problem.path
    ? `${problem.file}: ${problem.path}: ${problem.message}`
    : `${problem.file}: ${problem.message}`;
}

/** Thrown when the input cannot be turned into contracts; lists every problem found. */
export class GeneratorError extends Error {
  override readonly name = 'GeneratorError';

  constructor(readonly problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

/** `['fields', 2, 'type']` → `$.fields[2].type`. */
export function jsonPath(segments: readonly PropertyKey[]): string {
  return segments.reduce<string>(
    (path, segment) =>
      typeof segment === 'number'
        ? `${path}[${segment}]`
        : `${path}.${String(segment)}`,
    '$',
  );
}
