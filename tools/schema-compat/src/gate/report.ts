import type { ReportSources } from '../lib/format';
import type { LevelResult } from '../lib/levels';
import type { CompatibilityLevel } from '../lib/model';
import type { GateBase } from './base';
import type { OfflineAnswer } from './check-subject';
import type { HistoryComparison } from './history-compare';
import type { RegistryMode } from './registry';

export const EXIT_PASS = 0;
export const EXIT_FAIL = 1;
export const EXIT_BAD_INPUT = 2;

/** How a subject differs between the base and the working tree. */
export type SubjectChange = 'unchanged' | 'changed' | 'new' | 'removed';

export interface OfflineVerdict {
  readonly compatible: boolean;
  /** The checker's result, when versions were compared. */
  readonly result?: LevelResult;
  readonly sources?: ReportSources;
  /** The registry versions compared with (modelled from git), oldest first, as `v<n> <commit>:<path>`. */
  readonly against: readonly string[];
  /** The stored version registering would answer with, adding none and checking nothing. */
  readonly existingVersion?: number;
}

export interface RegistryVersionVerdict {
  readonly version: number | 'latest';
  readonly compatible: boolean;
}

export type RegistryVerdict =
  | { readonly status: 'off' }
  | { readonly status: 'unreachable' }
  /** Unchanged and removed subjects are not asked about. */
  | { readonly status: 'not-asked' }
  | { readonly status: 'not-registered' }
  | {
      readonly status: 'checked';
      /** The level the registry applied (its subject or global config). */
      readonly level: CompatibilityLevel;
      readonly latestVersion: number;
      /** `/compatibility` answers; empty when the registry already holds the schema. */
      readonly versions: readonly RegistryVersionVerdict[];
      /** The stored version the registry's lookup found: registering adds none and checks nothing. */
      readonly existingVersion?: number;
      readonly compatible: boolean;
      /** The offline answer under the registry's level, to compare like with like. */
      readonly offline: OfflineAnswer;
      readonly history: HistoryComparison;
      readonly agrees: boolean;
    }
  /** The registry refused to evaluate the schema (HTTP 422) that the offline parser accepted. */
  | { readonly status: 'rejected'; readonly message: string };

export interface SubjectReport {
  readonly subject: string;
  readonly topic: string;
  /** The schema file now (`schemas/…`), absent when the subject was removed. */
  readonly file?: string;
  /** The subject's file at the base, when it had one. */
  readonly baseFile?: string;
  readonly change: SubjectChange;
  readonly level: CompatibilityLevel;
  /** The level at the base, when the subject existed there. */
  readonly baseLevel?: CompatibilityLevel;
  readonly offline: OfflineVerdict;
  readonly registry: RegistryVerdict;
  /** Facts a reviewer should see: renames, level changes, versions skipped. */
  readonly notes: readonly string[];
  /** Why the subject fails when it is not a schema incompatibility (a removed message). */
  readonly failure?: string;
  readonly passed: boolean;
}

export interface RegistryStatus {
  readonly mode: RegistryMode;
  readonly url: string;
  readonly status: 'off' | 'reachable' | 'unreachable';
  readonly reason?: string;
}

export type GateReport =
  | {
      readonly outcome: 'pass' | 'fail';
      readonly exitCode: typeof EXIT_PASS | typeof EXIT_FAIL;
      /** Absent when there was nothing to compare with. */
      readonly base?: GateBase;
      readonly noBase?: string;
      readonly registry: RegistryStatus;
      readonly notes: readonly string[];
      readonly subjects: readonly SubjectReport[];
      readonly summary: string;
    }
  | {
      readonly outcome: 'bad-input';
      readonly exitCode: typeof EXIT_BAD_INPUT;
      readonly base?: GateBase;
      readonly notes: readonly string[];
      readonly problems: readonly string[];
      readonly summary: string;
    };
