// Test helpers for the messaging lib's users (unit tests): `@subtasks/messaging/testing`.
export { InMemorySchemaLookup } from './in-memory-schema-lookup';
