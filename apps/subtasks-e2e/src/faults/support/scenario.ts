import type { SentPoison } from './dead-letter-verdict';
import type { FaultRow } from './fault-table';
import type { RestartMark } from './recovery';
import type { SystemSettings, SystemUnderTest } from './system';
import type { LoadAnswer } from './upload-load';

export const MIN_UPLOADS = 1_000;
export const IN_FLIGHT = 24;

/** What a scenario's fault gets to work with while the load runs. */
export interface FaultContext {
  readonly system: SystemUnderTest;
  readonly databaseUrl: string;
  /** Subtasks the load does not touch, for the scenario's own requests. */
  readonly spareSubtaskIds: readonly string[];
  /** Resolves once the load has had `n` answers. */
  afterAnswers(n: number): Promise<void>;
  /** The killed process runs again from `mark.from`: recovery is measured from there. */
  restarted(mark: RestartMark): void;
  /** Poison the scenario wrote; each must be parked once. */
  sentPoison(poisons: readonly SentPoison[]): void;
  /** Requests of the scenario's own (the fuzz): uploads among them are accounted like the load's. */
  extraAnswers(answers: readonly LoadAnswer[]): void;
  /** A line for the report (what the fault did, how long a server took to come back). */
  note(text: string): void;
}

export interface Scenario {
  readonly name: string;
  readonly settings?: SystemSettings;
  /** A process was killed: a duplicate completion event is allowed (and counted). */
  readonly crash?: boolean;
  /** The api is killed: requests without an answer are expected. */
  readonly apiKilled?: boolean;
  readonly recoveryLimitSeconds?: number;
  /** How long the load goes on after the fault is over. */
  readonly tailMs?: number;
  /** Injects the fault during the load; resolves once it is over (servers back, processes restarted). */
  inject(context: FaultContext): Promise<void>;
}

export interface ScenarioResult {
  readonly row: FaultRow;
  readonly violations: string[];
  readonly notes: readonly string[];
  /** Where the apps' logs were saved (when something was wrong). */
  readonly logs?: string;
  /** Seconds each phase took, for the suite's time budget. */
  readonly phases: Readonly<Record<string, number>>;
}
