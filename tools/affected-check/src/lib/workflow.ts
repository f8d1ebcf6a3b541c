import { parse } from 'yaml';
import { z } from 'zod';

const stepSchema = z.object({
  name: z.string().optional(),
  uses: z.string().optional(),
  run: z.string().optional(),
  if: z.string().optional(),
  with: z.record(z.string(), z.unknown()).optional(),
});

const jobSchema = z.object({
  if: z.string().optional(),
  needs: z.union([z.string(), z.array(z.string())]).optional(),
  services: z
    .record(
      z.string(),
      z.looseObject({
        image: z.string(),
        env: z.record(z.string(), z.string()).optional(),
        ports: z.array(z.union([z.string(), z.number()])).optional(),
      }),
    )
    .optional(),
  strategy: z
    .looseObject({
      matrix: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  steps: z.array(stepSchema).min(1),
});

/** The parts of a GitHub Actions workflow file the checks read. */
const workflowSchema = z.object({
  name: z.string().optional(),
  on: z.record(z.string(), z.unknown()),
  jobs: z.record(z.string(), jobSchema),
});

export type Workflow = z.infer<typeof workflowSchema>;
export type Job = z.infer<typeof jobSchema>;
export type Step = z.infer<typeof stepSchema>;

export function parseWorkflow(text: string): Workflow {
  return workflowSchema.parse(parse(text));
}

/** The lines of a step's shell script, trimmed, without blanks and comments. */
export function runLines(step: Step): string[] {
  return (step.run ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Index of the first step whose script has a line matching `pattern`; -1 when none has. */
export function firstStepRunning(job: Job, pattern: RegExp): number {
  return job.steps.findIndex((step) =>
    runLines(step).some((line) => pattern.test(line)),
  );
}

export function jobsRunning(
  workflow: Workflow,
  pattern: RegExp,
): [string, Job][] {
  return Object.entries(workflow.jobs).filter(
    ([, job]) => firstStepRunning(job, pattern) !== -1,
  );
}
