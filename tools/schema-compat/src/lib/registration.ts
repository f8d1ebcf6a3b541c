import { UncheckableSchemaPairError } from './errors';
import { checkLevel, type LevelResult } from './levels';
import type { CompatibilityLevel } from './model';
import {
  modelStoredHistory,
  storedVersionOf,
  type StoredVersion,
} from './registry-history';
import { toParsedSchema, type SchemaInput } from './schema';

export interface CheckRegistrationOptions {
  readonly level: CompatibilityLevel;
  readonly newSchema: SchemaInput;
  /** Every schema registered before, oldest first, including those the registry did not store. */
  readonly history: readonly SchemaInput[];
}

/**
 * What registering a schema does. `errors[].previousIndex` indexes `stored`.
 */
export interface RegistrationResult extends LevelResult {
  /** The versions the registry holds (modelled from the history), oldest first. */
  readonly stored: readonly StoredVersion[];
  /**
   * The stored version whose canonical form the new schema has: the registry
   * answers with it, adds no version and checks nothing.
   */
  readonly existing?: StoredVersion;
  /** With `existing`: what the level's check would say (the registry skips it). */
  readonly unchecked?: LevelResult;
}

/**
 * Is registering `newSchema` after `history` accepted under `level`, as
 * Apicurio does it: first it looks the schema up among the stored versions
 * (by canonical form) and accepts a match unchecked; otherwise it checks the
 * level against the stored versions, not against every schema of the history.
 */
export function checkRegistration(
  options: CheckRegistrationOptions,
): RegistrationResult {
  const newSchema = toParsedSchema(options.newSchema);
  const { stored } = modelStoredHistory(options.history.map(toParsedSchema));
  const check = (): LevelResult =>
    checkLevel({
      level: options.level,
      newSchema,
      previous: stored.map((version) => version.schema),
    });
  const existing = storedVersionOf(newSchema, stored);
  if (existing === undefined) return { ...check(), stored };
  return {
    compatible: true,
    level: options.level,
    errors: [],
    stored,
    existing,
    ...uncheckedBy(check),
  };
}

/** What the skipped check would say, unless Java could not even evaluate the pair. */
function uncheckedBy(check: () => LevelResult): { unchecked?: LevelResult } {
  try {
    return { unchecked: check() };
  } catch (error) {
    if (error instanceof UncheckableSchemaPairError) return {};
    throw error;
  }
}
