import { resolve } from 'node:path';
import { register } from 'tsx/cjs/api';

/**
 * Entry point for `npx tsx tools/schema-registration/src/cli.ts`. tsx maps the workspace's
 * `@subtasks/*` imports (and enables decorators) only through a tsconfig that covers the files,
 * and it looks for a tsconfig.json, which the workspace root does not have. So the CLI proper is
 * loaded through a tsx namespace using tsconfig.base.json (read from TSX_TSCONFIG_PATH when the
 * namespace is registered), as `tsx --tsconfig tsconfig.base.json` would.
 */
const previous = process.env['TSX_TSCONFIG_PATH'];
process.env['TSX_TSCONFIG_PATH'] = resolve(
  __dirname,
  '../../../tsconfig.base.json',
);
const withWorkspacePaths = register({ namespace: 'schema-registration' });
if (previous === undefined) {
  delete process.env['TSX_TSCONFIG_PATH'];
} else {
  process.env['TSX_TSCONFIG_PATH'] = previous;
}
withWorkspacePaths.require('./run', __filename);
