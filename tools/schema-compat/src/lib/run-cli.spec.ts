import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  EXIT_BAD_INPUT,
  EXIT_COMPATIBLE,
  EXIT_INCOMPATIBLE,
  runCli,
} from './run-cli';

const dir = mkdtempSync(join(tmpdir(), 'schema-compat-cli-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const oldFile = file(
  'old.avsc',
  `{
  "type": "record",
  "name": "Order",
  "fields": [
    { "name": "id", "type": "string" }
  ]
}
`,
);
const addedOptional = file(
  'optional.avsc',
  `{
  "type": "record",
  "name": "Order",
  "fields": [
    { "name": "id", "type": "string" },
    { "name": "note", "type": ["null", "string"], "default": null }
  ]
}
`,
);
const addedRequired = file(
  'required.avsc',
  `{
  "type": "record",
  "name": "Order",
  "fields": [
    { "name": "id", "type": "string" },
    { "name": "requestId", "type": "string" }
  ]
}
`,
);
const ambiguousAlias = file(
  'ambiguous.avsc',
  JSON.stringify({
    type: 'record',
    name: 'Order',
    fields: [{ name: 'id', type: 'string', aliases: ['requestId'] }],
  }),
);
const brokenJson = file(
  'broken.avsc',
  '{\n  "type": "record",\n  "name": "Order",\n  "fields": [\n}\n',
);
const invalidAvro = file(
  'invalid.avsc',
  '{\n  "type": "record",\n  "name": "Order",\n  "fields": [\n    { "name": "id", "type": "uuid" }\n  ]\n}\n',
);

const enumDefaultGone = file(
  'enum-default.avsc',
  `{
  "type": "record",
  "name": "Order",
  "fields": [
    { "name": "id", "type": "string" },
    {
      "name": "status",
      "type": { "type": "enum", "name": "Status", "symbols": ["NEW"] },
      "default": "LEGACY"
    }
  ]
}
`,
);

function run(...args: string[]): {
  code: number;
  stdout: string;
  stderr: string;
} {
  let stdout = '';
  let stderr = '';
  const code = runCli(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}

describe('schema:check CLI', () => {
  it('accepts what the registry accepts, warning on stderr with file:line:column', () => {
    for (const json of [[], ['--json']]) {
      const result = run(
        '--old',
        oldFile,
        '--new',
        enumDefaultGone,
        '--level',
        'FULL',
        ...json,
      );
      expect(result.code).toBe(EXIT_COMPATIBLE);
      expect(result.stderr).toContain(
        'enum-default.avsc:9:18: warning: the default of field "status", "LEGACY", is not a symbol of enum Status: the registry accepts it',
      );
    }
  });

  it('exits 0 when the change is allowed', () => {
    const result = run(
      '--old',
      oldFile,
      '--new',
      addedOptional,
      '--level',
      'FULL',
    );
    expect(result.code).toBe(EXIT_COMPATIBLE);
    expect(result.stdout).toContain('compatible:');
    expect(result.stderr).toBe('');
  });

  it('exits 1 and explains the problem with file, line, field, rule and fix', () => {
    const result = run(
      '--old',
      oldFile,
      '--new',
      addedRequired,
      '--level',
      'BACKWARD',
    );
    expect(result.code).toBe(EXIT_INCOMPATIBLE);
    expect(result.stdout).toContain(
      `READER_FIELD_MISSING_DEFAULT_VALUE in field \`requestId\``,
    );
    expect(result.stdout).toContain(
      `at ${addedRequired}:6:15 (reader, /fields/1)`,
    );
    expect(result.stdout).toContain('fix: add a default to field `requestId`');
  });

  it('treats a transitive level like its non-transitive one for two files', () => {
    expect(
      run(
        '--old',
        oldFile,
        '--new',
        addedRequired,
        '--level',
        'FORWARD_TRANSITIVE',
      ).code,
    ).toBe(EXIT_COMPATIBLE);
    expect(
      run(
        '--old',
        oldFile,
        '--new',
        addedRequired,
        '--level',
        'full_transitive',
      ).code,
    ).toBe(EXIT_INCOMPATIBLE);
  });

  it('prints exactly one JSON object with --json', () => {
    const result = run(
      '--old',
      oldFile,
      '--new',
      addedRequired,
      '--level=BACKWARD',
      '--json',
    );
    expect(result.code).toBe(EXIT_INCOMPATIBLE);
    expect(JSON.parse(result.stdout)).toEqual({
      compatible: false,
      level: 'BACKWARD',
      errors: [
        {
          rule: 'READER_FIELD_MISSING_DEFAULT_VALUE',
          path: '/fields/1',
          message: expect.stringContaining('requestId'),
          fix: expect.stringContaining('add a default to field `requestId`'),
        },
      ],
    });
    const ok = run(
      '--old',
      oldFile,
      '--new',
      addedOptional,
      '--level',
      'NONE',
      '--json',
    );
    expect(JSON.parse(ok.stdout)).toEqual({
      compatible: true,
      level: 'NONE',
      errors: [],
    });
  });

  it.each([
    [
      'an unreadable file',
      ['--old', join(dir, 'missing.avsc'), '--new', oldFile, '--level', 'FULL'],
      /missing\.avsc: cannot read file/,
    ],
    [
      'invalid JSON (with line and column)',
      ['--old', oldFile, '--new', brokenJson, '--level', 'FULL'],
      /broken\.avsc:5:1: invalid JSON: ValueExpected/,
    ],
    [
      'an invalid Avro schema (with line and column)',
      ['--old', invalidAvro, '--new', oldFile, '--level', 'FULL'],
      /invalid\.avsc:5:29: undefined name: uuid/,
    ],
    [
      'a pair Avro cannot check (a field alias matching a second writer field)',
      ['--old', addedRequired, '--new', ambiguousAlias, '--level', 'BACKWARD'],
      /matches several fields of writer record Order: id, requestId/,
    ],
    [
      'an unknown level',
      ['--old', oldFile, '--new', oldFile, '--level', 'SIDEWAYS'],
      /unknown level "SIDEWAYS"/,
    ],
    [
      'a missing argument',
      ['--old', oldFile, '--level', 'FULL'],
      /--new is required/,
    ],
    [
      'an unknown argument',
      ['--old', oldFile, '--new', oldFile, '--level', 'FULL', '--strict'],
      /unknown argument "--strict"/,
    ],
  ])('exits 2 on %s', (_what, args, message) => {
    const result = run(...args);
    expect(result.code).toBe(EXIT_BAD_INPUT);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('runs as the root script does (tsx tools/schema-compat/src/cli.ts) with the same exit codes', () => {
    const workspace = resolve(__dirname, '../../../..');
    const tsx = resolve(workspace, 'node_modules/.bin/tsx');
    const exec = (...args: string[]) =>
      spawnSync(tsx, ['tools/schema-compat/src/cli.ts', ...args], {
        cwd: workspace,
        encoding: 'utf8',
      });
    const ok = exec(
      '--old',
      oldFile,
      '--new',
      addedOptional,
      '--level',
      'BACKWARD',
    );
    expect([ok.status, ok.stderr]).toEqual([0, '']);
    const bad = exec(
      '--old',
      oldFile,
      '--new',
      addedRequired,
      '--level',
      'BACKWARD',
      '--json',
    );
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({
      compatible: false,
      level: 'BACKWARD',
    });
    const broken = exec(
      '--old',
      oldFile,
      '--new',
      brokenJson,
      '--level',
      'BACKWARD',
    );
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain('broken.avsc:5:1');
  }, 30000);
});
