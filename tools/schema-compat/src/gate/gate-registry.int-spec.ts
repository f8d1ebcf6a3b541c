/**
 * The schema gate against the real Schema Registry (`npm run stack:up`):
 * throwaway git repositories whose catalogues use unique topics, the base
 * versions registered under those subjects, then `--registry required`.
 * Fails, and is not skipped, when the registry is unreachable.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGateCli } from './cli';
import { DEFAULT_REGISTRY_URL } from './registry';
import { GitFixture, type FixtureMessage } from './testing/git-fixture';

const REGISTRY_URL = (
  process.env['SCHEMA_REGISTRY_URL'] || DEFAULT_REGISTRY_URL
).replace(/\/+$/, '');
const RUN_ID = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

const ID = { name: 'id', type: 'string' };
const NOTE = { name: 'note', type: ['null', 'string'], default: null };
const REQUEST_ID = { name: 'requestId', type: 'string' };

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

async function register(
  subject: string,
  fixture: GitFixture,
  file: string,
): Promise<void> {
  createdSubjects.add(subject);
  const text = readFileSync(join(fixture.dir, 'schemas', file), 'utf8');
  const response = await registry(
    'POST',
    `/subjects/${encodeURIComponent(subject)}/versions`,
    { schema: JSON.stringify(JSON.parse(text)), schemaType: 'AVRO' },
  );
  if (response.status !== 200)
    throw new Error(
      `register ${subject}: HTTP ${response.status} ${JSON.stringify(response.body)}`,
    );
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

async function versionsOf(subject: string): Promise<unknown> {
  return (
    await registry('GET', `/subjects/${encodeURIComponent(subject)}/versions`)
  ).body;
}

async function gate(
  fixture: GitFixture,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runGateCli(['--registry', 'required'], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    cwd: fixture.dir,
    env: { ...fixture.env, SCHEMA_REGISTRY_URL: REGISTRY_URL },
  });
  return { code, stdout, stderr };
}

/** A repository with one message on a unique topic, main at `history` (oldest first), on branch `change`. */
function repoWith(
  name: string,
  compatibility: string,
  history: readonly (readonly object[])[],
): { fixture: GitFixture; subject: string } {
  const topic = `SCHEMA_GATE_IT_${RUN_ID}_${name}`;
  const message: FixtureMessage = {
    name: 'Order',
    file: 'order.avsc',
    topic,
    compatibility,
  };
  const fixture = GitFixture.create('schema-gate-it-');
  fixtures.push(fixture);
  fixture.writeCatalogue([message]);
  history.forEach((fields, index) => {
    fixture.writeRecord('order.avsc', 'Order', fields);
    fixture.commit(`v${index + 1}`);
  });
  fixture.branch('change');
  return { fixture, subject: `${topic}-value` };
}

describe(`schema gate with the registry at ${REGISTRY_URL}`, () => {
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

  it('prints the registry verdict beside the offline one, agreeing, and registers nothing', async () => {
    const { fixture, subject } = repoWith('backward', 'BACKWARD', [[ID]]);
    await register(subject, fixture, 'order.avsc');
    await setLevel(subject, 'BACKWARD');
    const before = await versionsOf(subject);
    expect(before).toEqual([1]);

    fixture.writeRecord('order.avsc', 'Order', [ID, NOTE]).commit('note');
    const compatible = await gate(fixture);
    expect(compatible.stderr).toBe('');
    expect(compatible.stdout).toContain(`registry ${REGISTRY_URL}: reachable`);
    expect(compatible.stdout).toContain(
      'registry: compatible with the latest version (1) under BACKWARD',
    );
    expect(compatible.stdout).toContain(
      `${subject} (BACKWARD): compatible (offline ✓, registry ✓)`,
    );
    expect(compatible.code).toBe(0);

    fixture
      .writeRecord('order.avsc', 'Order', [ID, NOTE, REQUEST_ID])
      .commit('requestId');
    const breaking = await gate(fixture);
    expect(breaking.stdout).toContain(
      '1) READER_FIELD_MISSING_DEFAULT_VALUE in field `requestId`',
    );
    expect(breaking.stdout).toContain(
      'registry: NOT compatible with the latest version (1) under BACKWARD',
    );
    expect(breaking.stdout).toContain(
      `${subject} (BACKWARD): NOT compatible, 1 problem (offline ✗, registry ✗)`,
    );
    expect(breaking.code).toBe(1);

    expect(await versionsOf(subject)).toEqual(before);
  });

  it('asks about every registered version under a transitive level', async () => {
    const legacy = { name: 'legacy', type: 'string' };
    const { fixture, subject } = repoWith('transitive', 'BACKWARD_TRANSITIVE', [
      [ID, legacy],
      [ID, NOTE],
    ]);
    // Register the history as main did: v1, then v2 (which dropped `legacy`).
    fixture.checkout('main');
    fixture.git('checkout', '--quiet', 'HEAD~1');
    await setLevel(subject, 'NONE');
    await register(subject, fixture, 'order.avsc');
    fixture.checkout('change');
    await register(subject, fixture, 'order.avsc');
    await setLevel(subject, 'BACKWARD_TRANSITIVE');
    expect(await versionsOf(subject)).toEqual([1, 2]);

    // Needs `legacy` again: v2 never wrote it, v1 did.
    fixture
      .writeRecord('order.avsc', 'Order', [ID, NOTE, legacy])
      .commit('legacy is back');
    const run = await gate(fixture);
    expect(run.stdout).toContain(
      'registry: NOT compatible with versions 1 ✓, 2 ✗ under BACKWARD_TRANSITIVE',
    );
    expect(run.stdout).toContain(
      `${subject} (BACKWARD_TRANSITIVE): NOT compatible, 1 problem (offline ✗, registry ✗)`,
    );
    expect(run.code).toBe(1);
    expect(await versionsOf(subject)).toEqual([1, 2]);
  });

  it('compares like with like when the pull request changes the level the registry still has', async () => {
    const amount = { name: 'amount', type: 'long' };
    const { fixture, subject } = repoWith('relaxed', 'FULL', [[ID, amount]]);
    await register(subject, fixture, 'order.avsc');
    await setLevel(subject, 'FULL');
    // Dropping a field without a default breaks old readers (FORWARD): fine under BACKWARD only.
    fixture
      .writeCatalogue([
        {
          name: 'Order',
          file: 'order.avsc',
          topic: subject.replace(/-value$/, ''),
          compatibility: 'BACKWARD',
        },
      ])
      .writeRecord('order.avsc', 'Order', [ID])
      .commit('relax to BACKWARD and drop amount');
    const run = await gate(fixture);
    expect(run.stdout).toContain(
      'compatibility level changed from FULL to BACKWARD',
    );
    expect(run.stdout).toContain(
      `${subject} (BACKWARD, was FULL): compatible (offline ✓, registry ✗ under its level FULL, offline ✗ under FULL)`,
    );
    expect(run.code).toBe(0);
    expect(await versionsOf(subject)).toEqual([1]);
  });

  it('fails when the registry holds a different history than git', async () => {
    const { fixture, subject } = repoWith('drift', 'BACKWARD', [[ID]]);
    // The registry's latest version has `amount` as a string; git's base has no `amount`.
    fixture.writeRecord('order.avsc', 'Order', [
      ID,
      { name: 'amount', type: 'string' },
    ]);
    await register(subject, fixture, 'order.avsc');
    await setLevel(subject, 'BACKWARD');
    fixture
      .writeRecord('order.avsc', 'Order', [
        ID,
        { name: 'amount', type: 'long', default: 0 },
      ])
      .commit('amount');
    const run = await gate(fixture);
    expect(run.stdout).toContain(
      "registry: its history differs from git's: registry v1 is no version of git's history",
    );
    expect(run.stdout).toContain(
      "registry: its history differs from git's: git's history gives v1 (",
    );
    expect(run.stdout).toMatch(
      /registry: DIFFERS from the offline answer under BACKWARD: offline compatible \(against v1 [0-9a-f]{7,}:schemas\/order\.avsc\), registry NOT compatible/,
    );
    expect(run.stdout).toContain(
      "registry: given the registry's own versions, the checker answers as the registry does (NOT compatible): the answers differ because the histories do",
    );
    expect(run.stdout).toContain(
      `${subject} (BACKWARD): offline and registry DIFFER (offline ✓, registry ✗)`,
    );
    expect(run.code).toBe(1);
    expect(await versionsOf(subject)).toEqual([1]);
  });

  it('agrees with the registry that a symbol relying on an unstored enum default breaks FORWARD', async () => {
    const status = (extra: object, symbols = ['A', 'B']) => ({
      name: 'status',
      type: { type: 'enum', name: 'Status', symbols, ...extra },
    });
    const { fixture, subject } = repoWith('enumrecipe', 'FORWARD', [
      [ID, status({})],
      [ID, status({ default: 'A' })],
    ]);
    // Register main's history as the pipeline did: v1, then v2 (which the registry does not store).
    fixture.checkout('main');
    fixture.git('checkout', '--quiet', 'HEAD~1');
    await setLevel(subject, 'FORWARD');
    await register(subject, fixture, 'order.avsc');
    fixture.checkout('change');
    await register(subject, fixture, 'order.avsc');
    expect(await versionsOf(subject)).toEqual([1]);

    fixture
      .writeRecord('order.avsc', 'Order', [
        ID,
        status({ default: 'A' }, ['A', 'B', 'C']),
      ])
      .commit('symbol C');
    const run = await gate(fixture);
    expect(run.stdout).toContain(
      'changed only the default of enum `test.v1.Status` since v1',
    );
    expect(run.stdout).toContain('1) MISSING_ENUM_SYMBOLS in field `status`');
    expect(run.stdout).toContain(
      'registry: NOT compatible with the latest version (1) under FORWARD',
    );
    expect(run.stdout).not.toContain('its history differs');
    expect(run.stdout).toContain(
      `${subject} (FORWARD): NOT compatible, 1 problem (offline ✗, registry ✗)`,
    );
    expect(run.code).toBe(1);
    expect(await versionsOf(subject)).toEqual([1]);
  });

  it('agrees with the registry that a revert is accepted unchecked', async () => {
    const legacy = { name: 'legacy', type: 'string' };
    const { fixture, subject } = repoWith('revert', 'FORWARD', [
      [ID],
      [ID, legacy],
    ]);
    fixture.checkout('main');
    fixture.git('checkout', '--quiet', 'HEAD~1');
    await setLevel(subject, 'NONE');
    await register(subject, fixture, 'order.avsc');
    fixture.checkout('change');
    await register(subject, fixture, 'order.avsc');
    await setLevel(subject, 'FORWARD');

    fixture.writeRecord('order.avsc', 'Order', [ID]).commit('revert');
    const run = await gate(fixture);
    expect(run.stdout).toContain(
      'registry: already holds this schema as version 1: registering it adds no version and checks nothing (accepted under FORWARD)',
    );
    expect(run.stdout).toContain('WARNING: unchecked by the registry');
    expect(run.stdout).toContain(
      `${subject} (FORWARD): compatible (offline ✓, registry ✓)`,
    );
    expect(run.code).toBe(0);
    expect(await versionsOf(subject)).toEqual([1, 2]);
  });
});
