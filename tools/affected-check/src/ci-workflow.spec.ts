import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scriptCommands } from './lib/shell-commands';
import {
  firstStepRunning,
  jobsRunning,
  parseWorkflow,
  runLines,
  type Job,
} from './lib/workflow';

const repoRoot = join(__dirname, '../../..');
const workflow = parseWorkflow(
  readFileSync(join(repoRoot, '.github/workflows/ci.yml'), 'utf8'),
);
const ciRunCommands = scriptCommands(
  readFileSync(join(repoRoot, '.ci/run'), 'utf8'),
);

const nxAffected = /^npx nx affected\b/;
const schemaGate =
  /^npm run schema:gate -- --base \$\{\{ github\.event\.pull_request\.base\.sha \|\| github\.event\.before \}\}$/;
const registration = /\bschemas:register\b/;
const onlyOnMainPush =
  "github.ref == 'refs/heads/main' && github.event_name == 'push'";

function job(name: string): Job {
  const found = workflow.jobs[name];
  if (found === undefined) throw new Error(`the workflow has no job "${name}"`);
  return found;
}

function allRunLines(job: Job): string[] {
  return job.steps.flatMap(runLines);
}

describe('.github/workflows/ci.yml', () => {
  it('runs on pull requests and on pushes to main', () => {
    expect(workflow.on).toEqual({
      pull_request: null,
      push: { branches: ['main'] },
    });
  });

  it('runs the schema gate before nx affected in every job that runs nx affected', () => {
    const affectedJobs = jobsRunning(workflow, nxAffected);
    expect(affectedJobs.map(([name]) => name)).toEqual(['affected']);
    for (const [, affectedJob] of affectedJobs) {
      const gate = firstStepRunning(affectedJob, schemaGate);
      expect(gate).toBeGreaterThanOrEqual(0);
      expect(gate).toBeLessThan(firstStepRunning(affectedJob, nxAffected));
      expect(gate).toBeLessThan(
        affectedJob.steps.findIndex((step) =>
          step.uses?.startsWith('nrwl/nx-set-shas@'),
        ),
      );
    }
  });

  it('checks affected projects with the SHAs nx-set-shas finds', () => {
    expect(allRunLines(job('affected'))).toContain(
      'npx nx affected -t lint typecheck test build --base=$NX_BASE --head=$NX_HEAD',
    );
    expect(job('affected').steps.map((step) => step.uses)).toContain(
      'nrwl/nx-set-shas@v4',
    );
  });

  it('installs and unit-tests on every Node line package.json supports', () => {
    expect(job('affected').strategy?.matrix?.['node']).toEqual([
      '20.x',
      '22.x',
      '24.x',
    ]);
  });

  it(`runs .ci/run's commands (${ciRunCommands.join(', ')}) in order in the integration job`, () => {
    expect(ciRunCommands.length).toBeGreaterThan(0);
    const lines = allRunLines(job('integration'));
    const positions = ciRunCommands.map((command) => lines.indexOf(command));
    expect(positions).not.toContain(-1);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('gives the integration job PostgreSQL 15 with trust auth on 5432, Java 21 and Maven', () => {
    const integration = job('integration');
    expect(integration.services?.['postgres']).toMatchObject({
      image: 'postgres:15',
      env: { POSTGRES_HOST_AUTH_METHOD: 'trust' },
      ports: ['5432:5432'],
    });
    const java = integration.steps.find((step) =>
      step.uses?.startsWith('actions/setup-java@'),
    );
    expect(java?.with).toMatchObject({
      distribution: 'temurin',
      'java-version': '21',
    });
    expect(allRunLines(integration)).toContain('mvn --version');
  });

  it('checks out the full history in every job', () => {
    const checkouts = Object.values(workflow.jobs).flatMap((each) =>
      each.steps.filter((step) => step.uses?.startsWith('actions/checkout@')),
    );
    expect(checkouts).toHaveLength(Object.keys(workflow.jobs).length);
    for (const checkout of checkouts) {
      expect(checkout.with?.['fetch-depth']).toBe(0);
    }
  });

  it('caches npm downloads in every setup-node step', () => {
    const setups = Object.values(workflow.jobs).flatMap((each) =>
      each.steps.filter((step) => step.uses?.startsWith('actions/setup-node@')),
    );
    expect(setups.length).toBe(Object.keys(workflow.jobs).length);
    for (const setup of setups) expect(setup.with?.['cache']).toBe('npm');
  });

  it('registers schemas only in the register-schemas job, only on a push to main, after the tests', () => {
    expect(jobsRunning(workflow, registration).map(([name]) => name)).toEqual([
      'register-schemas',
    ]);
    const register = job('register-schemas');
    expect(register.if).toBe(onlyOnMainPush);
    expect(register.needs).toEqual(['affected', 'integration']);
    expect(allRunLines(register)).toContain('npx nx run schemas:register');
  });
});
