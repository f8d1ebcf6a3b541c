import type { ProjectGraphFile } from './project-graph';

/**
 * What `nx affected` should report when files of `changedProjects` change: those projects and every
 * project that depends on one of them, directly or transitively, through any kind of edge (static,
 * dynamic or implicit). Sorted, so two answers compare with `toEqual`.
 */
export function expectedAffected(
  graph: ProjectGraphFile,
  changedProjects: readonly string[],
): string[] {
  const { nodes, dependencies } = graph.graph;
  for (const project of changedProjects) {
    if (nodes[project] === undefined) {
      throw new Error(
        `"${project}" is not a project in the graph (projects: ${Object.keys(nodes).sort().join(', ')})`,
      );
    }
  }

  const dependents = new Map<string, string[]>();
  for (const edges of Object.values(dependencies)) {
    for (const { source, target } of edges) {
      // Edges to npm packages (npm:…) have no node here and nothing depends "through" them.
      if (nodes[target] === undefined) continue;
      dependents.set(target, [...(dependents.get(target) ?? []), source]);
    }
  }

  const reached = new Set<string>(changedProjects);
  const queue = [...changedProjects];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const dependent of dependents.get(next) ?? []) {
      if (!reached.has(dependent)) {
        reached.add(dependent);
        queue.push(dependent);
      }
    }
  }
  return [...reached].sort();
}
