import { expectedAffected } from './expected-affected';
import type { ProjectGraphFile } from './project-graph';

type Edge = [source: string, target: string, type?: string];

/** A graph in the shape `nx graph --file` writes, built from a project list and edges. */
function graphOf(projects: string[], edges: Edge[]): ProjectGraphFile {
  return {
    graph: {
      nodes: Object.fromEntries(
        projects.map((name) => [name, { name, data: { root: name } }]),
      ),
      dependencies: Object.fromEntries(
        projects.map((name) => [
          name,
          edges
            .filter(([source]) => source === name)
            .map(([source, target, type = 'static']) => ({
              source,
              target,
              type,
            })),
        ]),
      ),
    },
  };
}

// The intended layering of this workspace: schemas → contracts → messaging → apps; the data lib → apps.
const layered = graphOf(
  [
    'schemas',
    'contracts',
    'messaging',
    'subtasks-db',
    'config',
    'api',
    'subtask-worker',
    'stack',
  ],
  [
    ['contracts', 'schemas', 'implicit'],
    ['messaging', 'contracts'],
    ['api', 'messaging'],
    ['api', 'contracts'],
    ['api', 'subtasks-db'],
    ['api', 'config'],
    ['subtask-worker', 'messaging'],
    ['subtask-worker', 'subtasks-db'],
    ['subtask-worker', 'config'],
    ['messaging', 'npm:kafkajs'],
  ],
);

describe('expectedAffected', () => {
  it('follows implicit and static edges from a schema change up to the apps', () => {
    expect(expectedAffected(layered, ['schemas'])).toEqual([
      'api',
      'contracts',
      'messaging',
      'schemas',
      'subtask-worker',
    ]);
  });

  it('does not go down: a change in the data lib reaches only the apps that use it', () => {
    expect(expectedAffected(layered, ['subtasks-db'])).toEqual([
      'api',
      'subtask-worker',
      'subtasks-db',
    ]);
  });

  it('returns only the changed project when nothing depends on it', () => {
    expect(expectedAffected(layered, ['stack'])).toEqual(['stack']);
    expect(expectedAffected(layered, ['api'])).toEqual(['api']);
  });

  it('returns nothing when no project changed', () => {
    expect(expectedAffected(layered, [])).toEqual([]);
  });

  it('unions the closures of several changed projects without duplicates', () => {
    expect(expectedAffected(layered, ['config', 'messaging'])).toEqual([
      'api',
      'config',
      'messaging',
      'subtask-worker',
    ]);
  });

  it('terminates on a dependency cycle', () => {
    const cyclic = graphOf(
      ['a', 'b', 'c'],
      [
        ['a', 'b'],
        ['b', 'a'],
        ['c', 'a', 'dynamic'],
      ],
    );
    expect(expectedAffected(cyclic, ['a'])).toEqual(['a', 'b', 'c']);
  });

  it('names the projects it knows when asked about one that does not exist', () => {
    expect(() => expectedAffected(layered, ['schema'])).toThrow(
      /"schema" is not a project in the graph \(projects: api, config, contracts,/,
    );
  });
});
