import type { LevelResult } from '../lib/levels';
import type { CompatibilityLevel } from '../lib/model';
import type { RegistrationResult } from '../lib/registration';
import {
  modelStoredHistory,
  type StoredVersion,
} from '../lib/registry-history';
import type { ParsedSchema } from '../lib/schema';
import { unstoredChanges } from '../lib/unstored-changes';
import type { CommittedVersion } from './versions';

export interface HistoryContext {
  /** Committed versions, oldest first, the base last. */
  readonly versions: readonly CommittedVersion[];
  readonly current: ParsedSchema;
  readonly level: CompatibilityLevel;
  /** The registry's answer, modelled: against the versions it stores. */
  readonly result: RegistrationResult;
  /** The same level checked against git's versions (the base, or all of them when transitive). */
  readonly gitResult: LevelResult;
}

const STORED_ADVICE =
  'make a change the registry stores (to a name, type, field, symbol, field default or custom property; e.g. add an optional field)';

/**
 * Says which committed versions the registry keeps, what it will compare the
 * change with, and, where that is not what git suggests (a commit that
 * changed only docs, aliases, an enum default or formatting, a revert, this
 * change itself), why and what to do.
 */
export function explainHistory(context: HistoryContext): string[] {
  const { versions, result } = context;
  const model = modelStoredHistory(versions.map((version) => version.schema));
  const { stored } = result;
  const name = (version: StoredVersion): string =>
    `v${version.version} (${versions[version.historyIndex]?.label ?? '?'})`;
  const notes: string[] = [];
  if (stored.length < versions.length)
    notes.push(
      `the registry keeps ${count(stored.length, 'version')} of ${count(versions.length, 'committed version')}: ${stored.map(name).join(', ')}; the others changed nothing it stores`,
    );
  const latest = stored[stored.length - 1];
  const base = versions[versions.length - 1];
  if (latest === undefined || base === undefined) return notes;

  const baseVersion = model.versionOf[versions.length - 1];
  const compared = context.level.endsWith('_TRANSITIVE')
    ? `every stored version (${stored.map((version) => `v${version.version}`).join(', ')})`
    : name(latest);
  let baseGap: string | undefined;
  if (baseVersion !== latest.version) {
    baseGap = `the base ${base.label} is v${baseVersion} again to the registry (a revert), which added no version: its latest is still ${name(latest)}`;
  } else if (latest.historyIndex !== versions.length - 1) {
    const changes = unstoredChanges(latest.schema, base.schema);
    baseGap = `the base ${base.label} changed only ${changes.join(', ')} since ${name(latest)}, which the registry does not store`;
  }
  if (baseGap !== undefined)
    notes.push(`${baseGap}; it checks this change against ${compared}`);

  notes.push(
    ...currentChangeNotes(
      context,
      baseVersion === latest.version ? base : undefined,
      { latest, compared, name },
    ),
  );

  const gitCompatible = context.gitResult.compatible;
  if (!result.compatible && gitCompatible) {
    const fix =
      baseVersion === latest.version
        ? `first merge a version that keeps what the base added and also ${STORED_ADVICE}, so that the registry stores it; then make this change`
        : `make this change compatible with ${name(latest)} too: to the registry (and to consumers that read with it) that is still the latest version`;
    notes.push(
      `against the base ${base.label} this change would pass, but the registry checks it against ${compared}. Fix: ${fix}`,
    );
  } else if (
    result.compatible &&
    !gitCompatible &&
    result.existing === undefined
  )
    notes.push(
      `WARNING: the registry accepts this change (it checks ${compared}), but against git's ${context.level.endsWith('_TRANSITIVE') ? 'versions' : `base ${base.label}`} it is NOT compatible under ${context.level}, so readers or writers using that schema may break: ${problems(context.gitResult)}`,
    );
  return notes;
}

interface Naming {
  readonly latest: StoredVersion;
  /** What the level compares with, e.g. `v3 (abc1234:schemas/x.avsc)`. */
  readonly compared: string;
  readonly name: (version: StoredVersion) => string;
}

/** `base` when the registry holds it as its latest version, else undefined (a revert). */
function currentChangeNotes(
  context: HistoryContext,
  base: CommittedVersion | undefined,
  { latest, compared, name }: Naming,
): string[] {
  const { existing, unchecked } = context.result;
  if (existing === undefined) return [];
  if (existing.version === latest.version && base !== undefined) {
    const changes = unstoredChanges(base.schema, context.current);
    const semantic = changes.some(
      (change) => !/^(doc|formatting)/.test(change),
    );
    return [
      `this change touches only ${changes.join(', ')}: the registry stores no version for it (registering answers with ${name(latest)}), so the next change is still checked against ${name(latest)}${semantic ? ` without them; if that change relies on them (a rename on these aliases, a new symbol on this enum default), also ${STORED_ADVICE} in this pull request` : ''}`,
    ];
  }
  const notes = [
    `the registry already holds this schema as ${name(existing)}: registering it adds no version and checks nothing${existing.version === latest.version ? '' : `; its latest stays ${name(latest)}, which the next change is checked against`}`,
  ];
  if (unchecked !== undefined && !unchecked.compatible)
    notes.push(
      `WARNING: unchecked by the registry, this schema is NOT compatible with ${compared} under ${context.level}, so readers or writers using ${compared === name(latest) ? compared : 'them'} may break: ${problems(unchecked)}`,
    );
  return notes;
}

function problems(result: LevelResult): string {
  return result.errors
    .map(
      (error) =>
        `${error.rule}${error.field === undefined ? '' : ` in field \`${error.field}\``} (${error.message})`,
    )
    .join('; ');
}

function count(value: number, noun: string): string {
  return `${value} ${noun}${value === 1 ? '' : 's'}`;
}
