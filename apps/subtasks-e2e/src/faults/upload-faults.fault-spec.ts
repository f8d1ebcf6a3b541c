import { apiKill } from './scenarios/api-kill';
import { brokerKill } from './scenarios/broker-kill';
import { commitCrash } from './scenarios/commit-crash';
import { databaseOutage } from './scenarios/database-outage';
import { deadLetterRefused } from './scenarios/dead-letter-refused';
import { httpFuzz } from './scenarios/http-fuzz';
import { poisonMessages } from './scenarios/poison-messages';
import { registryOutage } from './scenarios/registry-outage';
import { workerKill } from './scenarios/worker-kill';
import { ScenarioDatabases } from './support/databases';
import { formatFaultTable } from './support/fault-table';
import { runScenario } from './support/run-scenario';
import {
  IN_FLIGHT,
  MIN_UPLOADS,
  type Scenario,
  type ScenarioResult,
} from './support/scenario';
import { restoreStack, stackRunning } from './support/stack-faults';
import { ensureAppTopics } from './support/topics';

/*
 * The fault suite (issue 12): both apps and the servers as real processes, at least 1,000 uploads
 * with 24 in flight per scenario, a fault in the middle of each, then everything accounted for.
 * Kafka and the registry of the default stack are killed or stopped here, and always brought back.
 * One scenario alone: `npx nx run subtasks-e2e:faults -- -t 'broker'`. The apps' logs of a failing
 * scenario are saved under tmp/faults/; FAULTS_KEEP_LOGS=1 saves them for passing ones too.
 */

const SCENARIOS: readonly Scenario[] = [
  workerKill,
  brokerKill,
  registryOutage,
  databaseOutage,
  apiKill,
  commitCrash,
  deadLetterRefused,
  poisonMessages,
  httpFuzz,
];

let databases: ScenarioDatabases | undefined;
const results: ScenarioResult[] = [];
const began = Date.now();

beforeAll(async () => {
  if (!(await stackRunning())) await restoreStack();
  await ensureAppTopics();
  databases = await ScenarioDatabases.prepare();
}, 120_000);

afterAll(async () => {
  await restoreStack();
  await databases?.dropAll();
  const failing = results.filter((r) => r.violations.length > 0);
  process.stdout.write(
    [
      '',
      `fault suite: ${results.length} scenario(s), ≥ ${MIN_UPLOADS} uploads each, ${IN_FLIGHT} in flight, ${((Date.now() - began) / 1000).toFixed(0)} s`,
      formatFaultTable(results.map((r) => r.row)),
      '',
      ...results.map(
        (r) =>
          `${r.row.scenario}: ${[
            ...Object.entries(r.phases).map(
              ([phase, seconds]) => `${phase} ${seconds.toFixed(1)} s`,
            ),
            ...r.notes,
          ].join(', ')}`,
      ),
      ...failing.flatMap((r) => [
        '',
        `${r.row.scenario}:`,
        ...r.violations.map((v) => `  - ${v}`),
        `  app logs: ${r.logs ?? '-'}`,
      ]),
      '',
    ].join('\n'),
  );
}, 120_000);

describe('uploads through faults', () => {
  it.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))(
    '%s',
    async (_name, scenario) => {
      if (!databases) throw new Error('no template database');
      const result = await runScenario(databases, scenario);
      results.push(result);
      expect(result.violations).toEqual([]);
    },
    240_000,
  );
});
