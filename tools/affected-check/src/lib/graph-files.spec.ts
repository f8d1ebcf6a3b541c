import { parseProjectGraphFile, projectsWithTarget } from './project-graph';
import { parseTaskGraphFile, plannedProjects } from './task-graph';

// Trimmed copies of what Nx 23 writes for `nx graph --file` and `nx affected -t test --graph=<file>`.
const projectGraphJson = JSON.stringify({
  graph: {
    nodes: {
      schemas: {
        name: 'schemas',
        type: 'lib',
        data: { root: 'schemas', targets: {} },
      },
      contracts: {
        name: 'contracts',
        type: 'lib',
        data: { root: 'libs/contracts', targets: { lint: {}, test: {} } },
      },
      api: {
        name: 'api',
        type: 'app',
        data: { root: 'apps/api', targets: { build: {}, test: {} } },
      },
    },
    dependencies: {
      schemas: [],
      contracts: [{ source: 'contracts', target: 'schemas', type: 'implicit' }],
      api: [{ source: 'api', target: 'contracts', type: 'static' }],
    },
  },
});

const taskGraphJson = JSON.stringify({
  graph: { nodes: {}, dependencies: {} },
  tasks: {
    roots: ['contracts:test', 'subtasks-db:db:generate'],
    tasks: {
      'api:test': {
        id: 'api:test',
        target: { project: 'api', target: 'test' },
      },
      'contracts:test': {
        id: 'contracts:test',
        target: { project: 'contracts', target: 'test' },
      },
      'subtasks-db:db:generate': {
        id: 'subtasks-db:db:generate',
        target: { project: 'subtasks-db', target: 'db:generate' },
      },
    },
    dependencies: {},
  },
});

describe('project graph file', () => {
  it('lists the projects that have a target, sorted', () => {
    const graph = parseProjectGraphFile(projectGraphJson);
    expect(projectsWithTarget(graph, 'test')).toEqual(['api', 'contracts']);
    expect(projectsWithTarget(graph, 'build')).toEqual(['api']);
    expect(projectsWithTarget(graph, 'int-test')).toEqual([]);
  });

  it('rejects output that is not a project graph', () => {
    expect(() => parseProjectGraphFile('{"nodes":{}}')).toThrow(/graph/);
  });
});

describe('task graph file', () => {
  it('lists the projects whose task of that target is planned, not tasks pulled in by dependsOn', () => {
    const tasks = parseTaskGraphFile(taskGraphJson);
    expect(plannedProjects(tasks, 'test')).toEqual(['api', 'contracts']);
    expect(plannedProjects(tasks, 'db:generate')).toEqual(['subtasks-db']);
  });

  it('rejects output that is not a task graph', () => {
    expect(() => parseTaskGraphFile('{"tasks":[]}')).toThrow(/tasks/);
  });
});
