/**
 * The gate cannot judge the change: an invalid schema or catalogue, a file the
 * catalogue lists but that is missing, an unknown base, an unreachable
 * registry under `--registry required`. Exit code 2.
 */
export class GateInputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'GateInputError';
  }
}
