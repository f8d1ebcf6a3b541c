export { checkCompatibility, checkLevel } from './lib/levels';
export type {
  CheckLevelOptions,
  CompatibilityError,
  LevelResult,
} from './lib/levels';
export type { Incompatibility, ReaderWriterResult } from './lib/resolve';
export type { Direction } from './lib/explain';
export { checkRegistration } from './lib/registration';
export type {
  CheckRegistrationOptions,
  RegistrationResult,
} from './lib/registration';
export { registryCanonicalForm } from './lib/canonical';
export { modelStoredHistory } from './lib/registry-history';
export type { ModelledHistory, StoredVersion } from './lib/registry-history';
export { Git } from './gate/git';
export { registeredVersions } from './gate/versions';
export type { RegisteredVersion } from './gate/versions';
export { unstoredChanges } from './lib/unstored-changes';
export type { SchemaWarning } from './lib/warnings';
export { formatHuman, formatJson } from './lib/format';
export type { ReportSources } from './lib/format';
export {
  ParsedSchema,
  parseSchemaJson,
  parseSchemaText,
  readSchemaFile,
  toParsedSchema,
} from './lib/schema';
export type { SchemaInput, SchemaSource } from './lib/schema';
export { SchemaInputError, UncheckableSchemaPairError } from './lib/errors';
export {
  COMPATIBILITY_LEVELS,
  INCOMPATIBILITY_TYPES,
  isCompatibilityLevel,
} from './lib/model';
export type {
  AvroNode,
  CompatibilityLevel,
  IncompatibilityType,
  JsonPath,
  JsonValue,
} from './lib/model';
export {
  runCli,
  EXIT_BAD_INPUT,
  EXIT_COMPATIBLE,
  EXIT_INCOMPATIBLE,
} from './lib/run-cli';
