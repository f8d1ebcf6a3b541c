import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { expectedAffected } from './lib/expected-affected';
import {
  parseProjectGraphFile,
  projectsWithTarget,
  type ProjectGraphFile,
} from './lib/project-graph';
import { parseTaskGraphFile, plannedProjects } from './lib/task-graph';
import {
  cloneWorkspace,
  repositoryRoot,
  type WorkspaceClone,
} from './lib/workspace-clone';

/*
 * Schema evolution by pull request: a change to one .avsc file must reach exactly the projects built
 * from it, and nothing else. Runs in a throwaway clone of what is committed, never in this checkout.
 */

const schemaFile = 'schemas/upload-subtask-result.avsc';
const lastCommit = ['--base=HEAD~1', '--head=HEAD'];

const avroRecordSchema = z.looseObject({
  fields: z
    .array(z.looseObject({ name: z.string(), doc: z.string().optional() }))
    .min(1),
});

function documentFirstField(avsc: string): string {
  const record = avroRecordSchema.parse(JSON.parse(avsc));
  const [first, ...rest] = record.fields;
  const documented = {
    ...first,
    doc: `${first?.doc ?? ''} Documentation only: no change to the wire format.`.trim(),
  };
  return `${JSON.stringify({ ...record, fields: [documented, ...rest] }, null, 2)}\n`;
}

function affectedProjects(
  clone: WorkspaceClone,
  extra: string[] = [],
): string[] {
  const json = clone.nx([
    'show',
    'projects',
    '--affected',
    ...lastCommit,
    '--json',
    ...extra,
  ]);
  return z.array(z.string()).parse(JSON.parse(json)).sort();
}

function plannedTestProjects(
  clone: WorkspaceClone,
  fileName: string,
): string[] {
  const file = join(clone.scratch, fileName);
  clone.nx(['affected', '-t', 'test', ...lastCommit, `--graph=${file}`]);
  return plannedProjects(
    parseTaskGraphFile(readFileSync(file, 'utf8')),
    'test',
  );
}

function changedFiles(clone: WorkspaceClone): string[] {
  return clone
    .git(['diff', '--name-only', 'HEAD~1', 'HEAD'])
    .trim()
    .split('\n');
}

describe('nx affected in a clone of the committed workspace', () => {
  let clone: WorkspaceClone;
  let graph: ProjectGraphFile;

  beforeAll(() => {
    clone = cloneWorkspace(repositoryRoot(__dirname));
    const graphFile = join(clone.scratch, 'project-graph.json');
    clone.nx(['graph', `--file=${graphFile}`]);
    graph = parseProjectGraphFile(readFileSync(graphFile, 'utf8'));
  });

  afterAll(() => clone?.remove());

  describe(`a documentation-only commit to ${schemaFile}`, () => {
    let affected: string[];

    beforeAll(() => {
      clone.commitEdit(
        'docs(schemas): document a field',
        schemaFile,
        documentFirstField,
      );
      affected = affectedProjects(clone);
    });

    it('changes that one file', () => {
      expect(changedFiles(clone)).toEqual([schemaFile]);
    });

    it('affects exactly schemas and every project that depends on it, per nx graph', () => {
      expect(affected).toEqual(expectedAffected(graph, ['schemas']));
    });

    it('reaches contracts, messaging and both apps, and not the data or config libs', () => {
      expect(affected).toEqual(
        expect.arrayContaining([
          'schemas',
          'contracts',
          'messaging',
          'api',
          'subtask-worker',
        ]),
      );
      expect(affected).not.toContain('subtasks-db');
      expect(affected).not.toContain('config');
    });

    it('plans `test` for exactly the affected projects that have a test target', () => {
      const withTest = projectsWithTarget(graph, 'test');
      const expected = affected.filter((project) => withTest.includes(project));

      expect(plannedTestProjects(clone, 'schema-change-tasks.json')).toEqual(
        expected,
      );
      expect(affectedProjects(clone, ['--withTarget=test'])).toEqual(expected);
    });
  });

  describe('a README-only commit on top', () => {
    beforeAll(() => {
      clone.commitEdit(
        'docs: mention schema evolution',
        'README.md',
        (text) => `${text}\nSchemas evolve by pull request to \`schemas/\`.\n`,
      );
    });

    it('changes that one file', () => {
      expect(changedFiles(clone)).toEqual(['README.md']);
    });

    it('affects no project and plans no test', () => {
      expect(affectedProjects(clone)).toEqual([]);
      expect(plannedTestProjects(clone, 'readme-change-tasks.json')).toEqual(
        [],
      );
    });
  });
});
