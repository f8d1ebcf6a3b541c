// Test helpers for the messaging lib's users (unit tests, tools): `@subtasks/messaging/testing`.
export { InMemorySchemaLookup } from './in-memory-schema-lookup';
export {
  retargetedContracts,
  type RetargetedContracts,
  type RetargetOptions,
} from './retargeted-contracts';
// The real stack's registry, for integration tests outside this library (the contract harness).
export { REGISTRY, runId } from './local-stack';
export { deleteSubjectPermanently, registerSchemaText } from './registry-admin';
export { deleteTopics } from './local-stack';
