import type { Options } from 'prettier';
import { format } from 'prettier/standalone';
import * as babelPlugin from 'prettier/plugins/babel';
import * as estreePlugin from 'prettier/plugins/estree';
import * as typescriptPlugin from 'prettier/plugins/typescript';

/** Prettier options as a project's config resolves them; parser and plugins are ours to choose. */
export type FormatOptions = Omit<Options, 'parser' | 'plugins' | 'filepath'>;

/**
 * Formats TypeScript with Prettier's standalone build: it needs no dynamic `import()`, so it runs
 * the same under Node, tsx and Jest.
 */
export function formatTypeScript(
  source: string,
  options: FormatOptions,
): Promise<string> {
  return format(source, {
    ...options,
    parser: 'typescript',
    plugins: [estreePlugin, typescriptPlugin],
  });
}

/** Formats a JSON value as Prettier formats a `.json` file. */
export function formatJson(
  value: unknown,
  options: FormatOptions,
): Promise<string> {
  return format(JSON.stringify(value), {
    ...options,
    parser: 'json',
    plugins: [estreePlugin, babelPlugin],
  });
}
