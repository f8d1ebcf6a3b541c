import { SchemaInputError, UncheckableSchemaPairError } from '../lib/errors';
import type { CompatibilityLevel } from '../lib/model';
import { checkRegistration } from '../lib/registration';
import { registryKey } from '../lib/registry-history';
import { parseSchemaText, type ParsedSchema } from '../lib/schema';
import type { ModelledVersion } from './check-subject';

/** How the versions the registry holds compare with the ones git's history gives. */
export interface HistoryComparison {
  /** Same schemas (to the registry: same canonical forms), same order. */
  readonly same: boolean;
  readonly differences: readonly string[];
  /** The checker's answer given the registry's own versions, when they all parse. */
  readonly checkerOnRegistryVersions?: boolean;
}

export interface HistoryComparisonInput {
  readonly registry: readonly {
    readonly version: number;
    readonly text: string;
  }[];
  readonly modelled: readonly ModelledVersion[];
  readonly level: CompatibilityLevel;
  readonly newSchema: ParsedSchema;
  /** The version the registry's lookup found for the new schema. */
  readonly registryExisting: number | undefined;
  /** The modelled version the new schema is, if any. */
  readonly modelledExisting: number | undefined;
}

/** Compares the registry's stored versions with git's, by the registry's canonical form. */
export function compareHistories(
  input: HistoryComparisonInput,
): HistoryComparison {
  const differences: string[] = [];
  const parsed = input.registry.map(({ version, text }) => {
    try {
      return parseSchemaText(text, `registry v${version}`);
    } catch (error) {
      if (!(error instanceof SchemaInputError)) throw error;
      differences.push(
        `registry v${version} is not a schema this checker reads (${error.message})`,
      );
      return undefined;
    }
  });
  const registryKeys = parsed.map((schema) =>
    schema === undefined ? undefined : registryKey(schema),
  );
  const modelledKeys = input.modelled.map((version) =>
    registryKey(version.schema),
  );
  input.registry.forEach(({ version }, index) => {
    const key = registryKeys[index];
    if (key !== undefined && !modelledKeys.includes(key))
      differences.push(
        `registry v${version} is no version of git's history (registered from elsewhere, or from a commit that is not on main's first-parent history)`,
      );
  });
  input.modelled.forEach((version, index) => {
    if (!registryKeys.includes(modelledKeys[index]))
      differences.push(
        `git's history gives v${version.version} (${version.label}), which the registry does not hold (its registration was rejected, or never ran)`,
      );
  });
  const inOrder =
    registryKeys.length === modelledKeys.length &&
    registryKeys.every((key, index) => key === modelledKeys[index]);
  if (differences.length === 0 && !inOrder)
    differences.push(
      `the registry holds the same schemas in another order: ${input.registry.map(({ version }, index) => `registry v${version} = git's v${modelledKeys.indexOf(registryKeys[index] as string) + 1}`).join(', ')}`,
    );
  if (differences.length === 0) {
    const registryIndex =
      input.registryExisting === undefined
        ? -1
        : input.registry.findIndex(
            ({ version }) => version === input.registryExisting,
          );
    const modelledIndex = (input.modelledExisting ?? 0) - 1;
    if (registryIndex !== modelledIndex)
      differences.push(
        `for this schema the registry's lookup finds ${registryIndex < 0 ? 'no stored version' : `v${input.registryExisting}`}, the offline model ${modelledIndex < 0 ? 'none' : `v${input.modelledExisting}`}`,
      );
  }
  const checker = checkerAnswer(input, parsed);
  return {
    same: differences.length === 0,
    differences,
    ...(checker === undefined ? {} : { checkerOnRegistryVersions: checker }),
  };
}

function checkerAnswer(
  input: HistoryComparisonInput,
  parsed: readonly (ParsedSchema | undefined)[],
): boolean | undefined {
  const history = parsed.filter(
    (schema): schema is ParsedSchema => schema !== undefined,
  );
  if (history.length !== parsed.length) return undefined;
  try {
    return checkRegistration({
      level: input.level,
      newSchema: input.newSchema,
      history,
    }).compatible;
  } catch (error) {
    if (error instanceof UncheckableSchemaPairError) return undefined;
    throw error;
  }
}
