// Test helpers for the messaging lib's users (unit tests, tools): `@subtasks/messaging/testing`.
export { InMemorySchemaLookup } from './in-memory-schema-lookup';
export {
  retargetedContracts,
  type RetargetedContracts,
  type RetargetOptions,
} from './retargeted-contracts';
