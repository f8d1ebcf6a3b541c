/**
 * The gate on every case of the parity table (a pair is a history of one
 * version) under all seven levels, against the real Schema Registry: main's
 * commits are the earlier versions, registered in turn; the working tree
 * holds the new schema. The gate's exit code, its own reading of the
 * registry and the registry's answer to registering the new schema must
 * agree. Fails, and is not skipped, when the registry is unreachable.
 */
import { randomBytes } from 'node:crypto';
import { HISTORY_CASES, SCHEMA_CASES } from '../cases';
import {
  COMPATIBILITY_LEVELS,
  type CompatibilityLevel,
  type JsonValue,
} from '../lib/model';
import { runGateCli } from './cli';
import { DEFAULT_REGISTRY_URL } from './registry';
import { GitFixture } from './testing/git-fixture';

const REGISTRY_URL = (
  process.env['SCHEMA_REGISTRY_URL'] || DEFAULT_REGISTRY_URL
).replace(/\/+$/, '');
const RUN_ID = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;

interface TableCase {
  readonly name: string;
  readonly previous: readonly JsonValue[];
  readonly new: JsonValue;
  readonly expected: Readonly<Record<CompatibilityLevel, boolean>>;
}

const CASES: readonly TableCase[] = [
  ...SCHEMA_CASES.map((schemaCase) => ({
    name: schemaCase.name,
    previous: [schemaCase.old],
    new: schemaCase.new,
    expected: schemaCase.expected,
  })),
  ...HISTORY_CASES,
];

async function registry(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${REGISTRY_URL}${path}`, {
    method,
    headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
  };
}

const createdSubjects = new Set<string>();
const fixtures: GitFixture[] = [];

async function register(subject: string, schema: JsonValue): Promise<number> {
  createdSubjects.add(subject);
  return (
    await registry(
      'POST',
      `/subjects/${encodeURIComponent(subject)}/versions`,
      {
        schema: JSON.stringify(schema),
        schemaType: 'AVRO',
      },
    )
  ).status;
}

async function setLevel(subject: string, level: string): Promise<void> {
  const response = await registry(
    'PUT',
    `/config/${encodeURIComponent(subject)}`,
    { compatibility: level },
  );
  if (response.status !== 200)
    throw new Error(`PUT /config/${subject}: HTTP ${response.status}`);
}

const schemaText = (schema: JsonValue): string =>
  `${JSON.stringify(schema, null, 2)}\n`;

/** main: one commit per earlier version; the new schema uncommitted on branch `change`. */
function repository(
  topic: string,
  level: CompatibilityLevel,
  tableCase: TableCase,
): GitFixture {
  const fixture = GitFixture.create('schema-gate-parity-');
  fixtures.push(fixture);
  fixture.writeCatalogue([
    { name: 'Order', file: 'order.avsc', topic, compatibility: level },
  ]);
  tableCase.previous.forEach((schema, index) => {
    fixture.write('schemas/order.avsc', schemaText(schema));
    fixture.commit(`v${index + 1}`);
  });
  fixture.branch('change');
  fixture.write('schemas/order.avsc', schemaText(tableCase.new));
  return fixture;
}

interface GateJson {
  readonly exitCode: number;
  readonly subjects: readonly {
    readonly passed: boolean;
    readonly registry: {
      readonly status: string;
      readonly compatible?: boolean;
      readonly agrees?: boolean;
      readonly history?: { readonly same: boolean };
    };
  }[];
}

async function gate(fixture: GitFixture): Promise<GateJson> {
  let stdout = '';
  let stderr = '';
  await runGateCli(['--registry', 'required', '--json'], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    cwd: fixture.dir,
    env: { ...fixture.env, SCHEMA_REGISTRY_URL: REGISTRY_URL },
  });
  if (stderr !== '') throw new Error(`gate stderr: ${stderr}`);
  return JSON.parse(stdout) as GateJson;
}

describe(`the gate on the parity table with the registry at ${REGISTRY_URL}`, () => {
  beforeAll(async () => {
    let status: number;
    try {
      status = (await registry('GET', '/subjects')).status;
    } catch (error) {
      throw new Error(
        `Schema Registry unreachable at ${REGISTRY_URL} (${(error as Error).message}); start it with npm run stack:up`,
      );
    }
    expect(status).toBe(200);
  });

  afterAll(async () => {
    // The registry is shared with other tests: leave no subjects behind.
    for (const subject of createdSubjects) {
      const path = `/subjects/${encodeURIComponent(subject)}`;
      await registry('DELETE', path);
      await registry('DELETE', `${path}?permanent=true`);
    }
    fixtures.forEach((fixture) => fixture.dispose());
  });

  describe.each(CASES.map((tableCase) => [tableCase.name, tableCase] as const))(
    '%s',
    (name, tableCase) => {
      it.each(COMPATIBILITY_LEVELS.map((level) => [level]))(
        'gives the registry verdict under %s',
        async (level) => {
          const topic = `SCHEMA_GATE_PARITY_${RUN_ID}_${name}_${level}`;
          const subject = `${topic}-value`;
          const [first, ...rest] = tableCase.previous;
          if (first === undefined) throw new Error(`${name}: no version`);
          expect(await register(subject, first)).toBe(200);
          await setLevel(subject, 'NONE');
          for (const version of rest)
            expect(await register(subject, version)).toBe(200);
          await setLevel(subject, level);

          const report = await gate(repository(topic, level, tableCase));
          const status = await register(subject, tableCase.new);
          expect([200, 409]).toContain(status);
          const accepted = status === 200;
          const [gated] = report.subjects;
          const asked = gated?.registry.status === 'checked';
          expect({
            level,
            gateExit: report.exitCode,
            // No subject at all: the working tree changed nothing (the gate then has no base).
            gatePassed: gated?.passed ?? report.exitCode === 0,
            gateReadOfRegistry: asked ? gated?.registry.compatible : accepted,
            agrees: asked ? gated?.registry.agrees : true,
            sameHistory: asked ? gated?.registry.history?.same : true,
            table: tableCase.expected[level],
          }).toEqual({
            level,
            gateExit: accepted ? 0 : 1,
            gatePassed: accepted,
            gateReadOfRegistry: accepted,
            agrees: true,
            sameHistory: true,
            table: accepted,
          });
        },
      );
    },
  );
});
