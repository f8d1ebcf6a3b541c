import { runGateCli } from './cli';
import { GitFixture, type FixtureMessage } from './testing/git-fixture';

/**
 * The gate against the versions the registry keeps (modelled from main's
 * history), offline: throwaway repositories, `--registry off`.
 */
interface GateRun {
  readonly code: number;
  readonly stdout: string;
}

async function gate(fixture: GitFixture): Promise<GateRun> {
  let stdout = '';
  const code = await runGateCli(['--registry', 'off'], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stdout += text),
    cwd: fixture.dir,
    env: fixture.env,
  });
  return { code, stdout };
}

const fixtures: GitFixture[] = [];
afterAll(() => fixtures.forEach((fixture) => fixture.dispose()));

const ID = { name: 'id', type: 'string' };
const NOTE = { name: 'note', type: ['null', 'string'], default: null };
const status = (symbols: string[], extra: object = {}): object => ({
  name: 'status',
  type: { type: 'enum', name: 'Status', symbols, ...extra },
});

/** main at `history` (oldest first, one commit each), branch `change` checked out. */
function repo(level: string, history: readonly (readonly object[])[]) {
  const fixture = GitFixture.create();
  fixtures.push(fixture);
  const message: FixtureMessage = {
    name: 'Order',
    file: 'order.avsc',
    topic: 'ORDERS',
    compatibility: level,
  };
  fixture.writeCatalogue([message]);
  const shas = history.map((fields, index) => {
    fixture.writeRecord('order.avsc', 'Order', fields);
    return fixture.commit(`v${index + 1}`).slice(0, 7);
  });
  fixture.branch('change');
  return { fixture, shas };
}

describe('schema gate: the versions the registry keeps', () => {
  it('says an enum default alone adds no version, and fails the symbol that relies on it', async () => {
    const first = repo('FORWARD', [[ID, status(['A', 'B'])]]);
    first.fixture
      .writeRecord('order.avsc', 'Order', [
        ID,
        status(['A', 'B'], { default: 'A' }),
      ])
      .commit('enum default');
    const defaultOnly = await gate(first.fixture);
    expect(defaultOnly.code).toBe(0);
    expect(defaultOnly.stdout).toContain(
      `this change touches only the default of enum \`test.v1.Status\`: the registry stores no version for it (registering answers with v1 (${first.shas[0]}:schemas/order.avsc)), so the next change is still checked against v1`,
    );
    expect(defaultOnly.stdout).toContain(
      'if that change relies on them (a rename on these aliases, a new symbol on this enum default), also make a change the registry stores',
    );

    // The default reached main; the new symbol comes next.
    const { fixture, shas } = repo('FORWARD', [
      [ID, status(['A', 'B'])],
      [ID, status(['A', 'B'], { default: 'A' })],
    ]);
    fixture
      .writeRecord('order.avsc', 'Order', [
        ID,
        status(['A', 'B', 'C'], { default: 'A' }),
      ])
      .commit('symbol C');
    const run = await gate(fixture);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `the base ${shas[1]}:schemas/order.avsc changed only the default of enum \`test.v1.Status\` since v1 (${shas[0]}:schemas/order.avsc), which the registry does not store; it checks this change against v1 (${shas[0]}:schemas/order.avsc)`,
    );
    expect(run.stdout).toContain(
      `against the base ${shas[1]}:schemas/order.avsc this change would pass, but the registry checks it against v1 (${shas[0]}:schemas/order.avsc). Fix: first merge a version that keeps what the base added and also make a change the registry stores`,
    );
    expect(run.stdout).toContain(
      '1) MISSING_ENUM_SYMBOLS in field `status` [FORWARD',
    );
    expect(run.stdout).toContain(
      `ORDERS-value (FORWARD): NOT compatible, 1 problem (offline ✗, registry off)`,
    );
  });

  it('checks a rename against the version before the aliases, which the registry never stored', async () => {
    const amount = { name: 'amount', type: 'int' };
    const { fixture, shas } = repo('FULL', [
      [ID, amount],
      [ID, { ...amount, aliases: ['total'] }],
    ]);
    fixture
      .writeRecord('order.avsc', 'Order', [
        ID,
        { name: 'total', type: 'int', aliases: ['amount'] },
      ])
      .commit('rename');
    const run = await gate(fixture);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `the registry keeps 1 version of 2 committed versions: v1 (${shas[0]}:schemas/order.avsc); the others changed nothing it stores`,
    );
    expect(run.stdout).toContain(
      `the base ${shas[1]}:schemas/order.avsc changed only aliases of field \`amount\` since v1 (${shas[0]}:schemas/order.avsc), which the registry does not store`,
    );
    expect(run.stdout).toContain(
      '1) READER_FIELD_MISSING_DEFAULT_VALUE in field `amount` [FORWARD',
    );
  });

  it('passes a revert the registry accepts unchecked, warning about what it would break', async () => {
    const x = { name: 'x', type: 'string' };
    const { fixture, shas } = repo('FORWARD', [[ID], [ID, x]]);
    fixture.writeRecord('order.avsc', 'Order', [ID]).commit('revert');
    const run = await gate(fixture);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `the registry already holds this schema as v1 (${shas[0]}:schemas/order.avsc): registering it adds no version and checks nothing; its latest stays v2 (${shas[1]}:schemas/order.avsc)`,
    );
    expect(run.stdout).toContain(
      `WARNING: unchecked by the registry, this schema is NOT compatible with v2 (${shas[1]}:schemas/order.avsc) under FORWARD, so readers or writers using v2 (${shas[1]}:schemas/order.avsc) may break: READER_FIELD_MISSING_DEFAULT_VALUE in field \`x\``,
    );
    expect(run.stdout).toContain('ORDERS-value (FORWARD): compatible');
  });

  it('checks a change after a revert against the latest version the registry kept', async () => {
    const legacy = { name: 'legacy', type: 'string' };
    const { fixture, shas } = repo('BACKWARD', [
      [ID, legacy],
      [ID],
      [ID, legacy],
    ]);
    fixture
      .writeRecord('order.avsc', 'Order', [ID, legacy, NOTE])
      .commit('note');
    const run = await gate(fixture);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `the base ${shas[2]}:schemas/order.avsc is v1 again to the registry (a revert), which added no version: its latest is still v2 (${shas[1]}:schemas/order.avsc); it checks this change against v2`,
    );
    expect(run.stdout).toContain(
      `Fix: make this change compatible with v2 (${shas[1]}:schemas/order.avsc) too`,
    );
    expect(run.stdout).toContain(
      '1) READER_FIELD_MISSING_DEFAULT_VALUE in field `legacy` [BACKWARD',
    );
  });

  it('names the field behind a rejected union branch', async () => {
    const card = (fields: object[]) => ({
      name: 'payment',
      type: ['null', { type: 'record', name: 'Card', fields }],
      default: null,
    });
    const { fixture } = repo('BACKWARD', [
      [ID, card([{ name: 'number', type: 'string' }])],
    ]);
    fixture
      .writeRecord('order.avsc', 'Order', [
        ID,
        card([
          { name: 'number', type: 'string' },
          { name: 'cvv', type: 'string' },
        ]),
      ])
      .commit('cvv');
    const run = await gate(fixture);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('1) MISSING_UNION_BRANCH in field `payment`');
    expect(run.stdout).toContain(
      'fix: add a default to field `payment.cvv` (of record `test.v1.Card`)',
    );
  });

  it('accepts what the registry accepts, warning with the line of the cause', async () => {
    const { fixture } = repo('BACKWARD', [[ID]]);
    fixture
      .writeRecord('order.avsc', 'Order', [
        ID,
        {
          name: 'tags',
          type: { type: 'map', values: ['null', 'string'] },
          default: { a: 'x' },
        },
      ])
      .commit('tags');
    const run = await gate(fixture);
    expect(run.code).toBe(0);
    // writeRecord puts the second field on line 7.
    expect(run.stdout).toMatch(
      /schemas\/order\.avsc:7:\d+: warning: the default of field "tags" \(at a\) matches branch 2 \(string\) of its union, not the first: avsc, the apps' runtime, cannot load the schema although the registry accepts it/,
    );
    expect(run.stdout).toContain('ORDERS-value (BACKWARD): compatible');
  });
});
