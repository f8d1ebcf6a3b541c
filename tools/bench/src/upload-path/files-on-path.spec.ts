import path from 'node:path';
import { roleOf, workspaceFileOf } from './files-on-path';

describe('workspaceFileOf', () => {
  const root = '/w';
  const appDir = path.join(root, 'dist', 'apps', 'api');
  const existing = new Set(['/w/apps/api/src/app/app.module.ts']);
  const exists = (file: string) => existing.has(file);

  it("resolves the app project's own sources and the libraries', as webpack names them", () => {
    expect(
      workspaceFileOf(root, appDir, 'webpack:///src/app/app.module.ts', exists),
    ).toBe('apps/api/src/app/app.module.ts');
    expect(
      workspaceFileOf(
        root,
        appDir,
        'webpack:///libs/messaging/src/index.ts',
        exists,
      ),
    ).toBe('libs/messaging/src/index.ts');
  });

  it('leaves out packages, the webpack runtime and anything outside the workspace', () => {
    for (const source of [
      'webpack:///external commonjs "kafkajs"',
      'webpack:///webpack/bootstrap',
      'webpack:///node_modules/rxjs/index.js',
      null,
    ])
      expect(workspaceFileOf(root, appDir, source, exists)).toBeUndefined();
  });
});

describe('roleOf', () => {
  it('tells the HTTP edge, generated code and barrels from the upload path', () => {
    expect(roleOf('apps/api/src/app/http-edge/bearer-auth.guard.ts')).toBe(
      'http edge',
    );
    expect(roleOf('apps/api/src/app/input/json-body.ts')).toBe('http edge');
    expect(
      roleOf('libs/contracts/src/generated/upload-subtask-result.ts'),
    ).toBe('generated');
    expect(roleOf('libs/messaging/src/index.ts')).toBe('barrel');
    expect(roleOf('apps/api/src/app/subtasks/subtasks.service.ts')).toBe(
      'upload path',
    );
  });
});
