import type { ContractClass } from '@subtasks/contracts';
import { parseContractSchema } from '@subtasks/contracts';
import type { Type } from 'avsc';
import { MessagingError } from '../lib/errors/messaging-error';
import type { SchemaLookup } from '../lib/registry/schema-lookup';

/** A registry in memory, for unit tests of the serde and transport: ids by subject, schemas by id. */
export class InMemorySchemaLookup implements SchemaLookup {
  readonly writerTypeCalls: number[] = [];
  private readonly ids = new Map<string, number>();
  private readonly types = new Map<number, Type>();

  /** Makes `schema` (an .avsc object or JSON) the writer schema of `id`. */
  add(id: number, schema: string | object, subject?: string): this {
    this.types.set(id, parseContractSchema(schema));
    if (subject !== undefined) {
      this.ids.set(subject, id);
    }
    return this;
  }

  async schemaIdOf(contract: ContractClass): Promise<number> {
    const id = this.ids.get(contract.subject);
    if (id === undefined) {
      throw new MessagingError(
        'SCHEMA_NOT_REGISTERED',
        `No id for ${contract.subject}`,
        { subject: contract.subject },
      );
    }
    return id;
  }

  async writerTypeOf(schemaId: number, topic?: string): Promise<Type> {
    this.writerTypeCalls.push(schemaId);
    const type = this.types.get(schemaId);
    if (type === undefined) {
      throw new MessagingError('UNKNOWN_SCHEMA_ID', `Unknown id ${schemaId}`, {
        schemaId,
        topic,
      });
    }
    return type;
  }
}
