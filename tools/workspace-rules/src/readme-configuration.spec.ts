import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sharedEnvironment } from '@subtasks/config';
import { stackEnvNames } from '@subtasks/tool-stack';

/*
 * The README's configuration table is what operators read: every variable an app validates is in it,
 * and it names none that neither an app nor the stack reads.
 */

const workspaceRoot = path.resolve(__dirname, '..', '..', '..');
const read = (file: string) =>
  readFileSync(path.join(workspaceRoot, file), 'utf8');

/** The keys of an app's environment schema (`NAME: …` at the first level of its extend call). */
function appVariables(file: string): string[] {
  return [...read(file).matchAll(/^ {2,4}([A-Z][A-Z0-9_]+):/gm)].map(
    ([, name]) => name as string,
  );
}

function documented(): string[] {
  return [...read('README.md').matchAll(/^\| `([A-Z][A-Z0-9_]+)`/gm)].map(
    ([, name]) => name as string,
  );
}

describe('README configuration table', () => {
  const validated = new Set([
    ...Object.keys(sharedEnvironment.shape),
    ...appVariables('apps/api/src/app/config/api-environment.ts'),
    ...appVariables('apps/subtask-worker/src/app/config/worker-environment.ts'),
  ]);

  it('documents every variable the apps validate', () => {
    expect(validated.size).toBeGreaterThan(30);
    const missing = [...validated].filter(
      (name) => !documented().includes(name),
    );
    expect(missing).toEqual([]);
  });

  it('documents no variable that neither the apps nor the stack read', () => {
    const read = new Set([...validated, ...Object.values(stackEnvNames)]);
    expect(documented().filter((name) => !read.has(name))).toEqual([]);
  });
});
