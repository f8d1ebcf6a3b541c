import path from 'node:path';
import { Client } from 'pg';
import { workspaceRoot } from '../../support/app-process';
import type { ScenarioDatabases } from './databases';
import { driveLoadThroughFault } from './drive';
import { collectAftermath } from './evidence';
import { GroupWatch, waitForIdleGroups } from './group-watch';
import type { Scenario, ScenarioResult } from './scenario';
import { waitUntilSettled } from './settle';
import { restoreStack, stackRunning } from './stack-faults';
import { SystemUnderTest } from './system';
import { offsetsNow } from './topics';
import { sample } from './upload-verdict';
import { judgeScenario } from './verdict';

/** More subtasks than the fastest load uses: each upload takes a fresh one. */
const SUBTASK_POOL = 12_000;
const SPARE_SUBTASKS = 50;
const SETTLE_TIMEOUT_MS = 60_000;
const IDLE_GROUPS_TIMEOUT_MS = 120_000;

async function createSubtasks(
  databaseUrl: string,
  count: number,
): Promise<string[]> {
  const sql = new Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    const { rows } = await sql.query<{ id: string }>(
      `INSERT INTO subtasks (id, title, updated_at)
       SELECT gen_random_uuid()::text, 'fault load ' || n, now() FROM generate_series(1, $1) AS n
       RETURNING id`,
      [count],
    );
    return rows.map((r) => r.id);
  } finally {
    await sql.end();
  }
}

/** Records how long each phase took. */
class Stopwatch {
  readonly phases: Record<string, number> = {};
  private last = Date.now();

  lap(phase: string): void {
    const now = Date.now();
    this.phases[phase] = (now - this.last) / 1000;
    this.last = now;
  }
}

function logDirectory(scenario: Scenario): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const slug = scenario.name.replace(/[^a-z0-9]+/gi, '-');
  return path.join(workspaceRoot, 'tmp', 'faults', `${stamp}-${slug}`);
}

/**
 * One scenario end to end: a fresh database, both apps, the load with the fault in its middle, the
 * stack restored, the system left to settle, then everything it did judged.
 */
export async function runScenario(
  databases: ScenarioDatabases,
  scenario: Scenario,
): Promise<ScenarioResult> {
  const stopwatch = new Stopwatch();
  if (!(await stackRunning())) await restoreStack();
  const database = await databases.copy(scenario.name);
  let system: SystemUnderTest | undefined;
  let watch: GroupWatch | undefined;
  try {
    const [spare, load] = await Promise.all([
      createSubtasks(database.url, SPARE_SUBTASKS),
      createSubtasks(database.url, SUBTASK_POOL),
    ]);
    await waitForIdleGroups(IDLE_GROUPS_TIMEOUT_MS);
    const from = await offsetsNow();
    stopwatch.lap('prepare');
    system = await SystemUnderTest.start(database.url, scenario.settings);
    watch = new GroupWatch(system.clientId);
    stopwatch.lap('start');
    const drive = await driveLoadThroughFault(scenario, system, database.url, {
      load,
      spare,
    });
    stopwatch.lap('load');
    const settle = await waitUntilSettled(database.url, SETTLE_TIMEOUT_MS);
    stopwatch.lap('settle');
    const after = await collectAftermath(database.url, from);
    stopwatch.lap('collect');

    const { row, violations, notes } = judgeScenario(
      scenario,
      drive,
      after,
      system.logs('api'),
    );
    if (!settle.settled)
      violations.unshift(
        `did not settle within ${SETTLE_TIMEOUT_MS} ms: ${JSON.stringify(settle.last)} ${settle.error ?? ''}`,
      );
    const strangers = await watch.stop();
    if (strangers.length > 0)
      violations.unshift(
        `interference, not a verdict: other processes consumed in the apps' groups during the scenario (${sample(strangers)}); run the fault suite alone`,
      );
    let logs: string | undefined;
    if (violations.length > 0 || process.env['FAULTS_KEEP_LOGS']) {
      logs = logDirectory(scenario);
      system.saveLogs(logs);
    }
    return {
      row,
      violations,
      notes: [...drive.notes, ...notes],
      logs,
      phases: stopwatch.phases,
    };
  } finally {
    await watch?.stop();
    await system?.stop();
    await database.drop();
  }
}
