import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { runGateCli } from './cli';
import { GitFixture, type FixtureMessage } from './testing/git-fixture';

interface GateRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function gate(fixture: GitFixture, ...args: string[]): Promise<GateRun> {
  return gateWithEnv(fixture, {}, '--registry', 'off', ...args);
}

async function gateWithEnv(
  fixture: GitFixture,
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<GateRun> {
  let stdout = '';
  let stderr = '';
  const code = await runGateCli(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    cwd: fixture.dir,
    env: { ...fixture.env, ...env },
  });
  return { code, stdout, stderr };
}

const ORDER: FixtureMessage = {
  name: 'Order',
  file: 'order.avsc',
  topic: 'ORDERS',
};
const ID = { name: 'id', type: 'string' };
const AMOUNT = { name: 'amount', type: 'long' };
const NOTE = { name: 'note', type: ['null', 'string'], default: null };
const REQUEST_ID = { name: 'requestId', type: 'string' };

const fixtures: GitFixture[] = [];
afterAll(() => fixtures.forEach((fixture) => fixture.dispose()));

/** A repository whose main has one commit with `messages`, checked out on branch `change`. */
function repoWith(
  messages: readonly FixtureMessage[] = [ORDER],
  fields: readonly object[] = [ID, AMOUNT],
): GitFixture {
  const fixture = GitFixture.create();
  fixtures.push(fixture);
  fixture.writeCatalogue(messages);
  for (const message of messages)
    fixture.writeRecord(message.file, message.name, fields);
  fixture.commit('schemas v1');
  return fixture.branch('change');
}

describe('schema gate (offline, throwaway git repositories)', () => {
  it('passes when no schema changed, naming the base it used', async () => {
    const fixture = repoWith();
    fixture.write('README.md', 'docs only\n').commit('docs');
    const base = fixture.git('rev-parse', '--short', 'main').trim();
    const run = await gate(fixture);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `schema gate: base merge base of HEAD and main (${base})`,
    );
    expect(run.stdout).toContain(
      'ORDERS-value (BACKWARD): unchanged (offline ✓, registry off)',
    );
    expect(run.stdout).toContain('schema gate passed: 1 subject (1 unchanged)');
    expect(run.stdout).toContain('registry not asked (--registry off)');
  });

  it('passes when a field is added with a default (committed or not)', async () => {
    const fixture = repoWith();
    fixture.writeRecord('order.avsc', 'Order', [ID, AMOUNT, NOTE]);
    const uncommitted = await gate(fixture);
    expect(uncommitted.code).toBe(0);
    expect(uncommitted.stdout).toContain(
      'ORDERS-value (BACKWARD): compatible (offline ✓, registry off)',
    );
    expect(uncommitted.stdout).toMatch(
      /compatible: schemas\/order\.avsc against [0-9a-f]{7,}:schemas\/order\.avsc under BACKWARD/,
    );
    fixture.commit('add note');
    const committed = await gate(fixture);
    expect(committed.code).toBe(0);
    expect(committed.stdout).toContain(
      'schema gate passed: 1 subject (1 changed)',
    );
  });

  it('fails a required field added under BACKWARD with file, line, field, rule and fix', async () => {
    const fixture = repoWith();
    fixture
      .writeRecord('order.avsc', 'Order', [ID, AMOUNT, REQUEST_ID])
      .commit('add requestId');
    const run = await gate(fixture);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '1) READER_FIELD_MISSING_DEFAULT_VALUE in field `requestId`',
    );
    // Line 8 is the new field in the file writeRecord lays out.
    expect(run.stdout).toMatch(
      /at schemas\/order\.avsc:8:\d+ \(reader, \/fields\/2\)/,
    );
    expect(run.stdout).toMatch(/fix: .*default/);
    expect(run.stdout).toContain(
      'ORDERS-value (BACKWARD): NOT compatible, 1 problem (offline ✗, registry off)',
    );
    expect(run.stdout).toContain(
      'schema gate FAILED: 1 of 1 subject failed (ORDERS-value)',
    );
  });

  it('checks FORWARD_TRANSITIVE against every committed version and fails against the oldest only', async () => {
    const legacy = { name: 'legacy', type: 'string' };
    const legacyWithDefault = { ...legacy, default: '' };
    const transitive = { ...ORDER, compatibility: 'FORWARD_TRANSITIVE' };
    const fixture = repoWith([transitive], [ID, legacy]);
    const v1 = fixture.git('rev-parse', '--short', 'HEAD').trim();
    fixture.checkout('main');
    fixture
      .writeRecord('order.avsc', 'Order', [ID, legacyWithDefault])
      .commit('v2: legacy gets a default');
    fixture
      .writeRecord('order.avsc', 'Order', [ID, legacyWithDefault, NOTE])
      .commit('v3: note');
    fixture.git('branch', '--force', 'change', 'main');
    fixture.checkout('change');
    fixture
      .writeRecord('order.avsc', 'Order', [ID, NOTE])
      .commit('drop legacy');

    const run = await gate(fixture, '--json');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      subjects: {
        offline: {
          against: string[];
          errors: { rule: string; field: string; reader: string }[];
        };
      }[];
    };
    const offline = report.subjects[0]?.offline;
    expect(offline?.against).toHaveLength(3);
    expect(offline?.against[0]).toBe(`v1 ${v1}:schemas/order.avsc`);
    expect(offline?.errors).toEqual([
      expect.objectContaining({
        rule: 'READER_FIELD_MISSING_DEFAULT_VALUE',
        field: 'legacy',
        reader: expect.stringMatching(`^${v1}:schemas/order.avsc:7:\\d+$`),
      }),
    ]);

    // Under FORWARD only the base version counts, and it has the default.
    fixture.writeCatalogue([{ ...ORDER, compatibility: 'FORWARD' }]);
    const forward = await gate(fixture);
    expect(forward.stdout).toContain(
      'ORDERS-value (FORWARD, was FORWARD_TRANSITIVE): compatible',
    );
    expect(forward.code).toBe(0);
  });

  it('passes a new schema as a new subject', async () => {
    const fixture = repoWith();
    const invoice: FixtureMessage = {
      name: 'Invoice',
      file: 'invoice.avsc',
      topic: 'INVOICES',
    };
    fixture
      .writeCatalogue([ORDER, invoice])
      .writeRecord('invoice.avsc', 'Invoice', [ID])
      .commit('invoice');
    const run = await gate(fixture);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'INVOICES-value (BACKWARD): new subject, nothing to be compatible with (offline ✓, registry off)',
    );
    expect(run.stdout).toContain(
      'schema gate passed: 2 subjects (1 new, 1 unchanged)',
    );
  });

  it('follows a renamed file through its subject and compares with the old content', async () => {
    const fixture = repoWith();
    const base = fixture.git('rev-parse', '--short', 'HEAD').trim();
    fixture.git('mv', 'schemas/order.avsc', 'schemas/purchase-order.avsc');
    fixture
      .writeCatalogue([{ ...ORDER, file: 'purchase-order.avsc' }])
      .writeRecord('purchase-order.avsc', 'Order', [ID, REQUEST_ID])
      .commit('rename and break');
    const run = await gate(fixture);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'file renamed: schemas/order.avsc → schemas/purchase-order.avsc; compatibility is per subject',
    );
    expect(run.stdout).toContain(
      `NOT compatible: schemas/purchase-order.avsc against ${base}:schemas/order.avsc under BACKWARD`,
    );
    expect(run.stdout).toContain(
      '1) READER_FIELD_MISSING_DEFAULT_VALUE in field `requestId`',
    );
  });

  it('says which file to fix when the catalogue still names a renamed file', async () => {
    const fixture = repoWith();
    fixture.git('mv', 'schemas/order.avsc', 'schemas/purchase-order.avsc');
    const run = await gate(fixture);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'ORDERS-value lists "order.avsc", but schemas/order.avsc does not exist (git sees it renamed to schemas/purchase-order.avsc',
    );
  });

  it('fails a message removed from the catalogue, unless its level was NONE', async () => {
    const invoice: FixtureMessage = {
      name: 'Invoice',
      file: 'invoice.avsc',
      topic: 'INVOICES',
    };
    const fixture = repoWith([ORDER, invoice]);
    fixture
      .writeCatalogue([ORDER])
      .remove('schemas/invoice.avsc')
      .commit('drop');
    const run = await gate(fixture);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /subject INVOICES-value removed from the catalogue \(was [0-9a-f]+:schemas\/catalogue\.json:\d+\): producers\/consumers of topic INVOICES break/,
    );
    expect(run.stdout).toContain(
      'INVOICES-value (BACKWARD): REMOVED: producers/consumers of topic INVOICES break (offline ✗, registry off)',
    );

    const unconstrained = repoWith([
      ORDER,
      { ...invoice, compatibility: 'NONE' },
    ]);
    unconstrained
      .writeCatalogue([ORDER])
      .remove('schemas/invoice.avsc')
      .commit('drop');
    const allowed = await gate(unconstrained);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain(
      'INVOICES-value (NONE): removed (allowed under NONE) (offline ✓, registry off)',
    );
  });

  it('reports a level change and checks under the new level', async () => {
    const fixture = repoWith();
    fixture
      .writeCatalogue([{ ...ORDER, compatibility: 'FULL' }])
      .writeRecord('order.avsc', 'Order', [ID, AMOUNT, NOTE])
      .commit('FULL');
    const run = await gate(fixture);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /compatibility level changed from BACKWARD to FULL \(schemas\/catalogue\.json:\d+\): checked under FULL/,
    );
    expect(run.stdout).toContain(
      'ORDERS-value (FULL, was BACKWARD): compatible (offline ✓, registry off)',
    );

    // A field removed without a default is fine under BACKWARD but not FULL.
    fixture.writeRecord('order.avsc', 'Order', [ID, NOTE]);
    const full = await gate(fixture);
    expect(full.code).toBe(1);
    expect(full.stdout).toContain('FORWARD: ');
    expect(full.stdout).toContain('field `amount`');
  });

  it('exits 2 naming file and line when a schema is not valid JSON', async () => {
    const fixture = repoWith();
    fixture.write(
      'schemas/order.avsc',
      '{\n  "type": "record",\n  "name": "Order",\n  "fields": [\n    {"name": "id" "type": "string"}\n  ]\n}\n',
    );
    const run = await gate(fixture);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /error: schemas\/order\.avsc:5:\d+: invalid JSON/,
    );
    expect(run.stderr).toContain('(exit 2)');
  });

  it('exits 2 on an invalid Avro schema and on an .avsc missing from the catalogue', async () => {
    const fixture = repoWith();
    fixture.writeRecord('order.avsc', 'Order', [
      ID,
      { name: 'n', type: 'integer' },
    ]);
    fixture.writeRecord('stray.avsc', 'Stray', [ID]);
    const run = await gate(fixture, '--json');
    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as { problems: string[] };
    expect(report.problems).toEqual([
      expect.stringMatching(/^schemas\/order\.avsc:7:\d+: .*integer/),
      expect.stringContaining(
        'schemas/stray.avsc: not listed in schemas/catalogue.json',
      ),
    ]);
  });

  it('exits 2 on an invalid catalogue entry, naming its line', async () => {
    const fixture = repoWith();
    fixture.writeCatalogue([{ ...ORDER, compatibility: 'SIDEWAYS' }]);
    const run = await gate(fixture);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /schemas\/catalogue\.json:\d+:\d+: unknown compatibility level "SIDEWAYS"/,
    );
  });

  describe('choosing the base', () => {
    it('compares main with a clean tree with HEAD~1, and with HEAD when there are changes', async () => {
      const fixture = repoWith();
      fixture.checkout('main');
      fixture
        .writeRecord('order.avsc', 'Order', [ID, AMOUNT, REQUEST_ID])
        .commit('breaking commit on main');
      const clean = await gate(fixture);
      expect(clean.stdout).toContain(
        'base HEAD~1 (on main with a clean tree: the last commit)',
      );
      expect(clean.code).toBe(1);

      fixture.writeRecord('order.avsc', 'Order', [
        ID,
        AMOUNT,
        REQUEST_ID,
        NOTE,
      ]);
      const dirty = await gate(fixture);
      expect(dirty.stdout).toContain(
        'base HEAD (its merge base with main), against the uncommitted changes',
      );
      expect(dirty.code).toBe(0);
    });

    it('has nothing to compare on a first commit', async () => {
      const fixture = repoWith();
      fixture.checkout('main');
      const run = await gate(fixture);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('no base: nothing to compare');
    });

    it('uses origin/main when there is no main branch', async () => {
      const fixture = repoWith();
      fixture.git('update-ref', 'refs/remotes/origin/main', 'main');
      fixture.git('branch', '--delete', '--force', 'main');
      fixture
        .writeRecord('order.avsc', 'Order', [ID, AMOUNT, NOTE])
        .commit('note');
      const run = await gate(fixture);
      expect(run.stdout).toContain('base merge base of HEAD and origin/main');
      expect(run.code).toBe(0);
    });

    it('takes --base, rejects an unknown one, and treats the null sha as no --base', async () => {
      const fixture = repoWith();
      const first = fixture.git('rev-parse', 'HEAD').trim();
      fixture
        .writeRecord('order.avsc', 'Order', [ID, AMOUNT, NOTE])
        .commit('note');
      const given = await gate(fixture, '--base', first);
      expect(given.stdout).toContain(`base ${first} (${first.slice(0, 7)})`);
      expect(given.code).toBe(0);

      const unknown = await gate(fixture, '--base=no-such-ref');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain(
        '--base no-such-ref: no such commit in this repository',
      );

      const nullSha = await gate(fixture, '--base', '0'.repeat(40));
      expect(nullSha.stdout).toContain("is git's null commit");
      expect(nullSha.stdout).toContain('base merge base of HEAD and main');
    });
  });

  it('ignores versions from merged branches that never reached main on their own', async () => {
    const legacy = { name: 'legacy', type: 'string', default: '' };
    const fixture = repoWith(
      [{ ...ORDER, compatibility: 'BACKWARD_TRANSITIVE' }],
      [ID, legacy],
    );
    // A feature branch went through a version without `id`, then restored it.
    fixture
      .writeRecord('order.avsc', 'Order', [legacy])
      .commit('feature: without id');
    fixture
      .writeRecord('order.avsc', 'Order', [ID, legacy, NOTE])
      .commit('feature: note');
    fixture.checkout('main');
    fixture.git('merge', '--quiet', '--no-ff', '-m', 'merge feature', 'change');
    fixture.branch('next');
    fixture
      .writeRecord('order.avsc', 'Order', [ID, NOTE])
      .commit('drop legacy');
    const run = await gate(fixture, '--json');
    const report = JSON.parse(run.stdout) as {
      subjects: { offline: { against: string[] } }[];
    };
    // v1 on main and the merge result: not the feature branch's intermediate commit.
    expect(report.subjects[0]?.offline.against).toHaveLength(2);
    expect(run.code).toBe(0);
  });

  it('prints one JSON object with --json', async () => {
    const fixture = repoWith();
    fixture
      .writeRecord('order.avsc', 'Order', [ID, AMOUNT, REQUEST_ID])
      .commit('break');
    const run = await gate(fixture, '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      outcome: 'fail',
      exitCode: 1,
      base: { ref: 'merge base of HEAD and main' },
      registry: { mode: 'off', status: 'off' },
      subjects: [
        {
          subject: 'ORDERS-value',
          change: 'changed',
          passed: false,
          offline: {
            compatible: false,
            errors: [
              {
                rule: 'READER_FIELD_MISSING_DEFAULT_VALUE',
                field: 'requestId',
                reader: expect.stringMatching(/^schemas\/order\.avsc:8:\d+$/),
                fix: expect.stringContaining('default'),
              },
            ],
          },
          registry: { status: 'off' },
        },
      ],
      summary: 'schema gate FAILED: 1 of 1 subject failed (ORDERS-value)',
    });
  });

  describe('when the registry cannot be reached', () => {
    // Nothing listens on port 1: the connection is refused at once.
    const unreachable = {
      SCHEMA_REGISTRY_URL: 'http://127.0.0.1:1/apis/ccompat/v7',
    };

    it('goes on offline under --registry auto, saying so', async () => {
      const fixture = repoWith();
      fixture
        .writeRecord('order.avsc', 'Order', [ID, AMOUNT, NOTE])
        .commit('note');
      const run = await gateWithEnv(fixture, unreachable);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        'registry http://127.0.0.1:1/apis/ccompat/v7: unreachable (',
      );
      expect(run.stdout).toContain(
        'ORDERS-value (BACKWARD): compatible (offline ✓, registry unreachable)',
      );
    });

    it('exits 2 under --registry required', async () => {
      const fixture = repoWith();
      const run = await gateWithEnv(
        fixture,
        unreachable,
        '--registry',
        'required',
      );
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        '--registry required: the registry at http://127.0.0.1:1/apis/ccompat/v7 is unreachable',
      );
    });
  });

  describe('when the registry asks for credentials', () => {
    // A registry that refuses whatever it is sent, and records what it was sent.
    const seen: string[] = [];
    const refusing = createServer((request, response) => {
      seen.push(request.headers.authorization ?? '');
      response.writeHead(401, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ message: 'User is not authenticated.' }));
    });
    let url = '';
    beforeAll(async () => {
      await new Promise<void>((done) => refusing.listen(0, '127.0.0.1', done));
      url = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/apis/ccompat/v7`;
    });
    afterAll(() => new Promise((done) => refusing.close(done)));

    it('sends the configured credentials and exits 2 naming the variables, never the password', async () => {
      const run = await gateWithEnv(repoWith(), {
        SCHEMA_REGISTRY_URL: url,
        SCHEMA_REGISTRY_USERNAME: 'gate',
        SCHEMA_REGISTRY_PASSWORD: 'gate-pass-never-shown',
      });
      expect(run.code).toBe(2);
      expect(seen.at(-1)).toBe(
        `Basic ${Buffer.from('gate:gate-pass-never-shown').toString('base64')}`,
      );
      expect(run.stderr).toContain(
        `the registry at ${url} refused the gate (GET /subjects: HTTP 401 User is not authenticated.): check SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD`,
      );
      expect(run.stdout + run.stderr).not.toContain('gate-pass-never-shown');
    });

    it('sends a bearer token', async () => {
      await gateWithEnv(repoWith(), {
        SCHEMA_REGISTRY_URL: url,
        SCHEMA_REGISTRY_TOKEN: 'gate-token',
      });
      expect(seen.at(-1)).toBe('Bearer gate-token');
    });

    it('names a half-given credential before asking anything', async () => {
      const run = await gateWithEnv(repoWith(), {
        SCHEMA_REGISTRY_URL: url,
        SCHEMA_REGISTRY_USERNAME: 'gate',
      });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        'SCHEMA_REGISTRY_PASSWORD is required with SCHEMA_REGISTRY_USERNAME',
      );
    });
  });

  it('rejects unknown arguments with exit 2 and the usage', async () => {
    const fixture = repoWith();
    const run = await gate(fixture, '--registry', 'sometimes');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '--registry must be one of auto, off, required',
    );
    expect(run.stderr).toContain('usage: npm run schema:gate');
  });

  it('runs as the root script does (tsx tools/schema-compat/src/gate-cli.ts) with the same exit codes', () => {
    const workspace = resolve(__dirname, '../../../..');
    const fixture = repoWith();
    const exec = () =>
      spawnSync(
        resolve(workspace, 'node_modules/.bin/tsx'),
        [
          '--tsconfig',
          resolve(workspace, 'tsconfig.base.json'),
          resolve(workspace, 'tools/schema-compat/src/gate-cli.ts'),
          '--registry',
          'off',
        ],
        { cwd: fixture.dir, env: fixture.env, encoding: 'utf8' },
      );
    fixture.writeRecord('order.avsc', 'Order', [ID, AMOUNT, NOTE]).commit('ok');
    const ok = exec();
    expect([ok.status, ok.stderr]).toEqual([0, '']);
    fixture
      .writeRecord('order.avsc', 'Order', [ID, AMOUNT, NOTE, REQUEST_ID])
      .commit('break');
    const broken = exec();
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain('READER_FIELD_MISSING_DEFAULT_VALUE');
  }, 30000);
});
