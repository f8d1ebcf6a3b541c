import { z } from 'zod';

/** The part of `nx affected -t <target> --graph=<file>.json` this tool reads. */
const taskGraphFileSchema = z.object({
  tasks: z.object({
    tasks: z.record(
      z.string(),
      z.object({
        target: z.object({ project: z.string(), target: z.string() }),
      }),
    ),
  }),
});

export type TaskGraphFile = z.infer<typeof taskGraphFileSchema>;

export function parseTaskGraphFile(json: string): TaskGraphFile {
  return taskGraphFileSchema.parse(JSON.parse(json));
}

/**
 * Projects whose `target` task Nx planned, sorted. Tasks of other targets (e.g. a code generator
 * pulled in by `dependsOn`) are not counted: they are how a target runs, not what was affected.
 */
export function plannedProjects(
  taskGraph: TaskGraphFile,
  target: string,
): string[] {
  return Object.values(taskGraph.tasks.tasks)
    .filter((task) => task.target.target === target)
    .map((task) => task.target.project)
    .sort();
}
