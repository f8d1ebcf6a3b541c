import type { Type } from 'avsc';
import type { ContractClass } from '@subtasks/contracts';

/** What the serde needs from a schema registry: ids for our schemas, writer schemas for ids. */
export interface SchemaLookup {
  /** The registry id of the contract's own schema (registered or verified, depending on the mode). */
  schemaIdOf(contract: ContractClass): Promise<number>;
  /** The writer's schema behind an id, parsed with the contracts' avsc options. */
  writerTypeOf(schemaId: number, topic?: string): Promise<Type>;
}
