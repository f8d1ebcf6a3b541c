import { sleep } from '../../support/app-process';
import type { SentPoison } from './dead-letter-verdict';
import type { RestartMark } from './recovery';
import { IN_FLIGHT, MIN_UPLOADS, type Scenario } from './scenario';
import { restoreStack } from './stack-faults';
import type { SystemUnderTest } from './system';
import { type LoadAnswer, runUploadLoad } from './upload-load';

/** Everything the load and the fault produced, for the verdict. */
export interface Drive {
  readonly loadAnswers: readonly LoadAnswer[];
  /** The scenario's own requests (the fuzz). */
  readonly extraAnswers: readonly LoadAnswer[];
  readonly maxInFlight: number;
  readonly restart?: RestartMark;
  readonly poisons: readonly SentPoison[];
  readonly notes: readonly string[];
}

class Progress {
  private count = 0;
  private waiters: { n: number; resolve: () => void }[] = [];

  update(count: number): void {
    this.count = count;
    this.waiters = this.waiters.filter((w) =>
      w.n <= count ? (w.resolve(), false) : true,
    );
  }

  reached(n: number): Promise<void> {
    if (this.count >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
}

/**
 * Runs the load, and the scenario's fault in its middle; whatever the fault did to the stack is
 * undone (stackUp) before the load is let go, a tail of `tailMs` later.
 */
export async function driveLoadThroughFault(
  scenario: Scenario,
  system: SystemUnderTest,
  databaseUrl: string,
  subtasks: { load: readonly string[]; spare: readonly string[] },
): Promise<Drive> {
  const progress = new Progress();
  let restart: RestartMark | undefined;
  const poisons: SentPoison[] = [];
  const extraAnswers: LoadAnswer[] = [];
  const notes: string[] = [];
  let release!: () => void;
  const faultOver = new Promise<void>((resolve) => (release = resolve));
  const load = runUploadLoad({
    baseUrl: system.baseUrl,
    subtaskIds: subtasks.load,
    inFlight: IN_FLIGHT,
    minUploads: MIN_UPLOADS,
    until: faultOver,
    onAnswer: (answers) => progress.update(answers.length),
  });
  try {
    await scenario.inject({
      system,
      databaseUrl,
      spareSubtaskIds: subtasks.spare,
      afterAnswers: (n) => progress.reached(n),
      restarted: (mark) => (restart = mark),
      sentPoison: (sent) => poisons.push(...sent),
      extraAnswers: (answers) => extraAnswers.push(...answers),
      note: (text) => notes.push(text),
    });
  } finally {
    await restoreStack();
    await sleep(scenario.tailMs ?? 3_000);
    release();
  }
  const { answers, maxInFlight } = await load;
  const retried = answers.filter((a) => (a.retries ?? 0) > 0).length;
  if (retried > 0)
    notes.push(`${retried} upload(s) re-sent after a connection error`);
  notes.push(`at most ${maxInFlight} uploads in flight`);
  return {
    loadAnswers: answers,
    extraAnswers,
    maxInFlight,
    restart,
    poisons,
    notes,
  };
}
