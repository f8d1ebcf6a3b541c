import { UncheckableSchemaPairError } from '../lib/errors';
import { checkLevel, type LevelResult } from '../lib/levels';
import type { CompatibilityLevel } from '../lib/model';
import {
  checkRegistration,
  type RegistrationResult,
} from '../lib/registration';
import type { ParsedSchema } from '../lib/schema';
import type { GateBase } from './base';
import { GateInputError } from './errors';
import type { Git } from './git';
import { explainHistory } from './history-notes';
import type { SubjectPlan } from './plan';
import type { OfflineVerdict, SubjectChange } from './report';
import { subjectHistory } from './versions';

/** The offline answer under one level: what registering the schema would do. */
export interface OfflineAnswer {
  readonly compatible: boolean;
  /** The stored version the registry would answer with, adding none. */
  readonly existingVersion?: number;
}

/** A version the registry holds, as modelled from git. */
export interface ModelledVersion {
  readonly version: number;
  readonly label: string;
  readonly schema: ParsedSchema;
}

/** A subject judged offline, with what the registry check needs to redo it under another level. */
export interface OfflineSubject {
  readonly plan: SubjectPlan;
  readonly change: SubjectChange;
  readonly level: CompatibilityLevel;
  readonly baseLevel?: CompatibilityLevel;
  readonly offline: OfflineVerdict;
  readonly notes: readonly string[];
  readonly failure?: string;
  /** The versions the registry holds according to git's history (changed subjects only). */
  readonly stored?: readonly ModelledVersion[];
  /** The offline answer under any level, against the same history. */
  readonly verdictUnder: (level: CompatibilityLevel) => OfflineAnswer;
}

export const isTransitive = (level: CompatibilityLevel): boolean =>
  level.endsWith('_TRANSITIVE');

/**
 * Compares one subject's schema now with the versions the registry holds
 * according to git's history (see `modelStoredHistory`), under the
 * catalogue's level, and says where that differs from comparing with git.
 */
export function checkSubjectOffline(
  git: Git,
  base: GateBase,
  plan: SubjectPlan,
): OfflineSubject {
  const { current, base: before } = plan;
  if (current === undefined) {
    if (before === undefined)
      throw new Error(`subject ${plan.subject} exists nowhere`);
    return removedSubject(plan, before);
  }
  const level = current.message.level;
  const notes: string[] = [];
  const warnings = (): string[] => current.schema.describeWarnings();
  if (before === undefined || before.text === undefined) {
    if (before !== undefined)
      notes.push(
        `${before.message.at} lists ${before.path}, which the base commit lacks: nothing to compare with`,
      );
    notes.push('new subject, nothing to be compatible with', ...warnings());
    return {
      plan,
      change: 'new',
      level,
      offline: { compatible: true, against: [] },
      notes,
      verdictUnder: () => ({ compatible: true }),
    };
  }

  const baseLevel = before.message.level;
  if (before.path !== current.path)
    notes.push(
      `file renamed: ${before.path} → ${current.path}; compatibility is per subject, so it is compared with the content of ${before.path}`,
    );
  if (baseLevel !== level)
    notes.push(
      `compatibility level changed from ${baseLevel} to ${level} (${current.message.levelAt}): checked under ${level}; the registry's level must be updated when the schemas are registered`,
    );
  if (
    before.path === current.path &&
    before.text === current.text &&
    baseLevel === level
  )
    return {
      plan,
      change: 'unchanged',
      level,
      baseLevel,
      offline: { compatible: true, against: [] },
      notes,
      verdictUnder: () => ({ compatible: true }),
    };

  notes.push(...warnings());
  const history = subjectHistory(git, base, before.path, before.text);
  notes.push(...history.notes);
  const committed = history.versions.map((version) => version.schema);
  const uncheckable = <T>(run: () => T): T => {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof UncheckableSchemaPairError)) throw error;
      throw new GateInputError([
        `${current.path} (${plan.subject}): cannot be checked against ${history.versions.map((version) => version.label).join(', ')}: ${error.message}`,
      ]);
    }
  };
  const register = (checked: CompatibilityLevel): RegistrationResult =>
    uncheckable(() =>
      checkRegistration({
        level: checked,
        newSchema: current.schema,
        history: committed,
      }),
    );
  const result = register(level);
  // What comparing with git alone says: the base, or every distinct committed version.
  const gitResult: LevelResult = uncheckable(() =>
    checkLevel({
      level,
      newSchema: current.schema,
      previous: isTransitive(level) ? distinct(committed) : committed.slice(-1),
    }),
  );
  if (committed.length === 0)
    notes.push('no readable earlier version: nothing to compare with');
  else
    notes.push(
      ...explainHistory({
        versions: history.versions,
        current: current.schema,
        level,
        result,
        gitResult,
      }),
    );
  const stored = result.stored.map((version) => ({
    version: version.version,
    label: history.versions[version.historyIndex]?.label ?? '?',
    schema: version.schema,
  }));
  return {
    plan,
    change: 'changed',
    level,
    baseLevel,
    offline: {
      compatible: result.compatible,
      result,
      sources: {
        newSchema: current.schema,
        previous: stored.map((version) => version.schema),
      },
      against: stored.map((version) => `v${version.version} ${version.label}`),
      ...(result.existing === undefined
        ? {}
        : { existingVersion: result.existing.version }),
    },
    notes,
    stored,
    verdictUnder: (other) => answer(other === level ? result : register(other)),
  };
}

function answer(result: RegistrationResult): OfflineAnswer {
  return {
    compatible: result.compatible,
    ...(result.existing === undefined
      ? {}
      : { existingVersion: result.existing.version }),
  };
}

function distinct(schemas: readonly ParsedSchema[]): ParsedSchema[] {
  const seen = new Set<string>();
  return schemas.filter((schema) => {
    const key = JSON.stringify(schema.json);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function removedSubject(
  plan: SubjectPlan,
  before: NonNullable<SubjectPlan['base']>,
): OfflineSubject {
  const { level, topic, at } = before.message;
  const allowed = level === 'NONE';
  const removed = `subject ${plan.subject} removed from the catalogue (was ${at})`;
  return {
    plan,
    change: 'removed',
    level,
    baseLevel: level,
    offline: { compatible: allowed, against: [] },
    notes: [
      allowed
        ? `${removed}: allowed, its level is NONE`
        : `${removed}: producers/consumers of topic ${topic} break`,
    ],
    ...(allowed
      ? {}
      : {
          failure: `removed from the catalogue: producers/consumers of topic ${topic} break; fix: keep the message (deprecate it in its doc), or first set its compatibility to NONE in a pull request of its own once nothing produces or consumes ${topic}`,
        }),
    verdictUnder: () => ({ compatible: allowed }),
  };
}
