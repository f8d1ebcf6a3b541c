import { scriptCommands } from './shell-commands';

describe('scriptCommands', () => {
  it('keeps the commands in order and drops shell set-up, comments and blank lines', () => {
    const script = [
      '#!/usr/bin/env bash',
      '# CI entry point',
      'set -euo pipefail',
      'cd "$(dirname "$0")/.."',
      'export CI=true',
      '',
      '  npm ci --no-audit --no-fund',
      'npm test',
      '',
    ].join('\n');

    expect(scriptCommands(script)).toEqual([
      'npm ci --no-audit --no-fund',
      'npm test',
    ]);
  });

  it('returns nothing for a script that only sets up the shell', () => {
    expect(scriptCommands('#!/bin/sh\nset -e\n')).toEqual([]);
  });
});
