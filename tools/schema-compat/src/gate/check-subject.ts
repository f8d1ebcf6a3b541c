import { UncheckableSchemaPairError } from '../lib/errors';
import { checkLevel, type LevelResult } from '../lib/levels';
import type { CompatibilityLevel } from '../lib/model';
import type { ParsedSchema } from '../lib/schema';
import type { GateBase } from './base';
import { GateInputError } from './errors';
import type { Git } from './git';
import type { SubjectPlan } from './plan';
import type { OfflineVerdict, SubjectChange } from './report';
import { earlierVersions } from './versions';

/** A subject judged offline, with what the registry check needs to redo it under another level. */
export interface OfflineSubject {
  readonly plan: SubjectPlan;
  readonly change: SubjectChange;
  readonly level: CompatibilityLevel;
  readonly baseLevel?: CompatibilityLevel;
  readonly offline: OfflineVerdict;
  readonly notes: readonly string[];
  readonly failure?: string;
  /** The offline verdict under any level, against the same git history. */
  readonly verdictUnder: (level: CompatibilityLevel) => boolean;
}

export const isTransitive = (level: CompatibilityLevel): boolean =>
  level.endsWith('_TRANSITIVE');

/** Compares one subject's schema now with its earlier versions in git, under the catalogue's level. */
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
  if (before === undefined || before.text === undefined) {
    if (before !== undefined)
      notes.push(
        `${before.message.at} lists ${before.path}, which the base commit lacks: nothing to compare with`,
      );
    notes.push('new subject, nothing to be compatible with');
    return {
      plan,
      change: 'new',
      level,
      offline: { compatible: true, against: [] },
      notes,
      verdictUnder: () => true,
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
      verdictUnder: () => true,
    };

  const baseText = before.text;
  const earlier = new Map<boolean, readonly ParsedSchema[]>();
  const previousFor = (transitive: boolean): readonly ParsedSchema[] => {
    let schemas = earlier.get(transitive);
    if (schemas === undefined) {
      const versions = earlierVersions(
        git,
        base,
        before.path,
        baseText,
        transitive,
      );
      notes.push(...versions.notes.filter((note) => !notes.includes(note)));
      schemas = versions.schemas;
      earlier.set(transitive, schemas);
    }
    return schemas;
  };
  const check = (checkedLevel: CompatibilityLevel): LevelResult => {
    const previous = previousFor(isTransitive(checkedLevel));
    try {
      return checkLevel({
        level: checkedLevel,
        newSchema: current.schema,
        previous,
      });
    } catch (error) {
      if (!(error instanceof UncheckableSchemaPairError)) throw error;
      throw new GateInputError([
        `${current.path} (${plan.subject}): cannot be checked against ${previous.map((s) => s.source.file).join(', ')}: ${error.message}`,
      ]);
    }
  };

  const result = check(level);
  const previous = previousFor(isTransitive(level));
  if (previous.length === 0)
    notes.push('no readable earlier version: nothing to compare with');
  return {
    plan,
    change: 'changed',
    level,
    baseLevel,
    offline: {
      compatible: result.compatible,
      result,
      sources: { newSchema: current.schema, previous },
      against: previous.map((schema) => schema.source.file ?? '?'),
    },
    notes,
    verdictUnder: (other) =>
      other === level ? result.compatible : check(other).compatible,
  };
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
    verdictUnder: () => allowed,
  };
}
