import { resolveBase, type GateBase } from './base';
import { checkSubjectOffline, type OfflineSubject } from './check-subject';
import { GateInputError } from './errors';
import { Git, GitError } from './git';
import { planSubjects, SCHEMAS_DIR } from './plan';
import { ReadOnlyRegistry, RegistryError, type RegistryMode } from './registry';
import { credentialVariables, type RegistryAccess } from './registry-access';
import { checkSubjectInRegistry } from './registry-check';
import {
  EXIT_BAD_INPUT,
  EXIT_FAIL,
  EXIT_PASS,
  type GateReport,
  type RegistryStatus,
  type RegistryVerdict,
  type SubjectReport,
} from './report';

export interface GateOptions {
  /** Any folder inside the repository. */
  readonly cwd: string;
  /** `--base`; chosen from main when absent. */
  readonly base?: string;
  readonly registry: RegistryMode;
  readonly registryUrl: string;
  /** Credentials and CA for a secured registry. */
  readonly registryAccess?: Omit<RegistryAccess, 'url'>;
  /** Environment for git (e.g. without an outer hook's GIT_DIR). */
  readonly env?: NodeJS.ProcessEnv;
  /** How long the reachability probe may take. */
  readonly probeTimeoutMs?: number;
}

type Probe =
  | { readonly reachable: true; readonly subjects: ReadonlySet<string> }
  | {
      readonly reachable: false;
      readonly reason: string;
      readonly status?: number;
    };

const DEFAULT_PROBE_TIMEOUT_MS = 2000;

/**
 * The schema gate: every subject of the working-tree catalogue compared with
 * the base under its level, offline and (when reachable) in the registry.
 */
export async function runGate(options: GateOptions): Promise<GateReport> {
  const registry =
    options.registry === 'off'
      ? undefined
      : new ReadOnlyRegistry(
          options.registryUrl,
          undefined,
          options.registryAccess,
        );
  // Probe while git works; it is bounded by its timeout.
  const probe =
    registry === undefined ? undefined : probeRegistry(registry, options);
  const notes: string[] = [];
  let base: GateBase | undefined;
  try {
    const git = new Git(options.cwd, options.env);
    const root = topLevel(git);
    const repo = new Git(root, options.env);
    const resolution = resolveBase(repo, options.base, SCHEMAS_DIR);
    notes.push(...resolution.notes);
    const registryStatus = await registryStatusOf(options, probe);
    if (resolution.kind === 'none') {
      return {
        outcome: 'pass',
        exitCode: EXIT_PASS,
        noBase: resolution.reason,
        registry: registryStatus.status,
        notes,
        subjects: [],
        summary: `schema gate passed: ${resolution.reason}`,
      };
    }
    base = resolution.base;
    const plan = planSubjects(repo, root, base);
    notes.push(...plan.notes);
    const checked = plan.subjects.map((subject) =>
      checkSubjectOffline(repo, resolution.base, subject),
    );
    const registryVerdicts = await askRegistry(
      registry,
      registryStatus,
      checked,
    );
    const subjects = checked.map((subject, index) =>
      toReport(subject, registryVerdicts[index] as RegistryVerdict),
    );
    const failed = subjects.filter((subject) => !subject.passed);
    return {
      outcome: failed.length === 0 ? 'pass' : 'fail',
      exitCode: failed.length === 0 ? EXIT_PASS : EXIT_FAIL,
      base,
      registry: registryStatus.status,
      notes,
      subjects,
      summary: summaryLine(subjects, failed),
    };
  } catch (error) {
    await probe;
    if (error instanceof GateInputError || error instanceof GitError) {
      const problems =
        error instanceof GateInputError ? error.problems : [error.message];
      return {
        outcome: 'bad-input',
        exitCode: EXIT_BAD_INPUT,
        ...(base === undefined ? {} : { base }),
        notes,
        problems,
        summary: `schema gate could not judge the change (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
      };
    }
    throw error;
  }
}

function topLevel(git: Git): string {
  try {
    return git.topLevel();
  } catch (error) {
    throw new GateInputError([
      `${git.cwd} is not inside a git repository (${(error as Error).message})`,
    ]);
  }
}

async function probeRegistry(
  registry: ReadOnlyRegistry,
  options: GateOptions,
): Promise<Probe> {
  try {
    const subjects = await registry.subjects(
      options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
    );
    return { reachable: true, subjects: new Set(subjects) };
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    return {
      reachable: false,
      reason: error.message,
      ...(error.status === undefined ? {} : { status: error.status }),
    };
  }
}

async function registryStatusOf(
  options: GateOptions,
  probe: Promise<Probe> | undefined,
): Promise<{ status: RegistryStatus; subjects?: ReadonlySet<string> }> {
  const { registry: mode, registryUrl: url } = options;
  if (probe === undefined) return { status: { mode, url, status: 'off' } };
  const result = await probe;
  if (result.reachable)
    return {
      status: { mode, url, status: 'reachable' },
      subjects: result.subjects,
    };
  // A registry that answers but refuses the gate is a configuration error, not an absent registry.
  if (result.status === 401 || result.status === 403)
    throw new GateInputError([
      `the registry at ${url} refused the gate (${result.reason}): check ${credentialVariables({ url, ...options.registryAccess })}`,
    ]);
  if (mode === 'required')
    throw new GateInputError([
      `--registry required: the registry at ${url} is unreachable (${result.reason}); set SCHEMA_REGISTRY_URL or start it with npm run stack:up`,
    ]);
  return {
    status: { mode, url, status: 'unreachable', reason: result.reason },
  };
}

async function askRegistry(
  registry: ReadOnlyRegistry | undefined,
  status: { status: RegistryStatus; subjects?: ReadonlySet<string> },
  subjects: readonly OfflineSubject[],
): Promise<RegistryVerdict[]> {
  const registered = status.subjects;
  if (registry === undefined || registered === undefined) {
    const verdict: RegistryVerdict =
      status.status.status === 'off'
        ? { status: 'off' }
        : { status: 'unreachable' };
    return subjects.map(() => verdict);
  }
  try {
    return await Promise.all(
      subjects.map((subject) =>
        checkSubjectInRegistry(registry, registered, subject),
      ),
    );
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    throw new GateInputError([
      `the registry at ${registry.url} answered the probe but then failed: ${error.message}`,
    ]);
  }
}

function toReport(
  subject: OfflineSubject,
  registry: RegistryVerdict,
): SubjectReport {
  const { plan } = subject;
  const registryFails =
    (registry.status === 'checked' && !registry.agrees) ||
    registry.status === 'rejected';
  return {
    subject: plan.subject,
    topic: (plan.current ?? plan.base)?.message.topic ?? '?',
    ...(plan.current === undefined ? {} : { file: plan.current.path }),
    ...(plan.base === undefined ? {} : { baseFile: plan.base.path }),
    change: subject.change,
    level: subject.level,
    ...(subject.baseLevel === undefined
      ? {}
      : { baseLevel: subject.baseLevel }),
    offline: subject.offline,
    registry,
    notes: subject.notes,
    ...(subject.failure === undefined ? {} : { failure: subject.failure }),
    passed: subject.offline.compatible && !registryFails,
  };
}

function summaryLine(
  subjects: readonly SubjectReport[],
  failed: readonly SubjectReport[],
): string {
  const total = `${subjects.length} subject${subjects.length === 1 ? '' : 's'}`;
  if (failed.length > 0)
    return `schema gate FAILED: ${failed.length} of ${total} failed (${failed.map((s) => s.subject).join(', ')})`;
  const counts = (['changed', 'new', 'unchanged', 'removed'] as const)
    .map(
      (change) =>
        [change, subjects.filter((s) => s.change === change).length] as const,
    )
    .filter(([, count]) => count > 0)
    .map(([change, count]) => `${count} ${change}`);
  return `schema gate passed: ${total}${counts.length > 0 ? ` (${counts.join(', ')})` : ''}`;
}
