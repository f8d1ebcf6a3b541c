import { z } from 'zod';

const dependencySchema = z.object({
  source: z.string(),
  target: z.string(),
  type: z.string(),
});

const projectNodeSchema = z.object({
  name: z.string(),
  data: z.object({
    root: z.string(),
    targets: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** The part of `nx graph --file=<json>` this tool reads. */
const projectGraphFileSchema = z.object({
  graph: z.object({
    nodes: z.record(z.string(), projectNodeSchema),
    dependencies: z.record(z.string(), z.array(dependencySchema)),
  }),
});

export type ProjectGraphFile = z.infer<typeof projectGraphFileSchema>;

export function parseProjectGraphFile(json: string): ProjectGraphFile {
  return projectGraphFileSchema.parse(JSON.parse(json));
}

/** Projects that declare (or have inferred) the given target, sorted. */
export function projectsWithTarget(
  graph: ProjectGraphFile,
  target: string,
): string[] {
  return Object.values(graph.graph.nodes)
    .filter((node) => node.data.targets?.[target] !== undefined)
    .map((node) => node.name)
    .sort();
}
