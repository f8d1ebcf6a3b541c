import type { ContractClass } from '@subtasks/contracts';
import { MessagingError, type RegisteredContract } from '@subtasks/messaging';

export interface Registrar {
  readonly url: string;
  register(contract: ContractClass): Promise<RegisteredContract>;
}

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/**
 * Registers every contract's schema under its subject at the catalogue's level, printing
 * `subject → id (level)` per schema. Returns the exit code: 0 when all were registered. A schema
 * the registry rejects is reported and the rest still registered; an unreachable registry stops.
 */
export async function registerSchemas(
  registrar: Registrar,
  contracts: readonly ContractClass[],
  output: Output,
): Promise<number> {
  let failures = 0;
  for (const contract of contracts) {
    try {
      const { subject, id, compatibility } = await registrar.register(contract);
      output.out(`${subject} → ${id} (${compatibility})`);
    } catch (error) {
      failures += 1;
      output.err(`✗ ${contract.subject}: ${describe(error)}`);
      if (
        error instanceof MessagingError &&
        error.code === 'REGISTRY_UNAVAILABLE'
      ) {
        output.err(
          `The schema registry at ${registrar.url} is unreachable. Is the local stack up? (npm run stack:up)`,
        );
        return 1;
      }
    }
  }
  if (failures > 0) {
    output.err(
      `${failures} of ${contracts.length} schema(s) were not registered.`,
    );
    return 1;
  }
  return 0;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
