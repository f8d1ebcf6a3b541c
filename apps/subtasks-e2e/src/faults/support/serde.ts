import { ContractRegistry, ContractSerde } from '@subtasks/messaging';
import { registryConnection } from '../../support/kafka';

/** Encodes and decodes as any Confluent client of the stack's registry would. */
export const serde = new ContractSerde(
  new ContractRegistry({ connection: registryConnection, mode: 'register' }),
);
