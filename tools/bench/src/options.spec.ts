import path from 'node:path';
import { parseCommandLine, PATH_IDS, UsageError } from './options';

const options = (args: string[]) => {
  const parsed = parseCommandLine(args);
  if (parsed.help) throw new Error('expected options, got --help');
  return parsed.options;
};

describe('bench command line', () => {
  it('has the documented defaults: every path but the extra-worker one', () => {
    const parsed = options([]);
    expect(parsed).toMatchObject({
      inFlight: 50,
      durationMs: 10_000,
      warmupMs: 3_000,
      rounds: 3,
      uploads: 5_000,
      workers: 1,
      build: true,
      jsonFile: undefined,
      profileDir: undefined,
    });
    expect([...parsed.only]).toEqual(
      PATH_IDS.filter((id) => id !== 'http-wait-workers'),
    );
  });

  it('takes every option, groups and single paths in --only', () => {
    const parsed = options([
      '--in-flight',
      '8',
      '--duration',
      '0.5',
      '--warmup',
      '0',
      '--uploads',
      '20',
      '--workers',
      '2',
      '--only',
      'anchors,http-wait-workers,serde-json',
      '--json',
      'out.json',
      '--no-build',
      '--profile',
      'profiles',
    ]);
    expect(parsed).toMatchObject({
      inFlight: 8,
      durationMs: 500,
      warmupMs: 0,
      uploads: 20,
      workers: 2,
      jsonFile: 'out.json',
      build: false,
      profileDir: path.resolve('profiles'),
    });
    expect([...parsed.only].sort()).toEqual(
      [
        'anchor-a',
        'anchor-a-seq',
        'anchor-b',
        'http-wait-workers',
        'serde-json',
      ].sort(),
    );
  });

  it('answers --help', () => {
    expect(parseCommandLine(['--help'])).toEqual({ help: true });
    expect(parseCommandLine(['-h'])).toEqual({ help: true });
  });

  it.each([
    [['--in-flight', '0']],
    [['--duration', 'soon']],
    [['--only', 'nothing-like-this']],
    [['--only', 'http-wait-workers']],
    [['--frobnicate']],
  ])('refuses %j with a usage error', (args) => {
    expect(() => parseCommandLine(args)).toThrow(UsageError);
  });
});
