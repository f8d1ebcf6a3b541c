import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PATH_IDS } from './options';
import type { BenchReport } from './report/figures';
import { ANCHORS } from './report/ratios';

/*
 * The bench end to end, as `npm run bench` runs it, with tiny durations: it must run through and
 * write every figure. Nothing here judges a figure: timings are the bench's output, not a test.
 */

const workspaceRoot = path.resolve(__dirname, '..', '..', '..');
const run = promisify(execFile);

function bench(args: string[]) {
  return run(
    'npx',
    [
      'tsx',
      '--tsconfig',
      'tsconfig.base.json',
      'tools/bench/src/cli.ts',
      ...args,
    ],
    { cwd: workspaceRoot, maxBuffer: 16 * 1024 * 1024 },
  );
}

const finite = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value);

describe('npm run bench', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'bench-smoke-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('--help lists every option', async () => {
    const { stdout } = await bench(['--help']);
    for (const option of [
      '--in-flight',
      '--duration',
      '--warmup',
      '--uploads',
      '--workers',
      '--only',
      '--json',
    ])
      expect(stdout).toContain(option);
  });

  it('measures every path once and writes every figure to the JSON', async () => {
    const file = path.join(dir, 'bench.json');
    // The apps are built by the int-test target's dependencies.
    const { stdout } = await bench([
      '--duration',
      '0.5',
      '--warmup',
      '0.3',
      '--rounds',
      '2',
      '--in-flight',
      '4',
      '--uploads',
      '40',
      '--workers',
      '2',
      '--no-build',
      '--json',
      file,
    ]);
    expect(stdout).toContain('| path ');
    expect(stdout).toContain(`JSON: ${file}`);

    const report = JSON.parse(readFileSync(file, 'utf8')) as BenchReport;
    expect(report.failures).toEqual([]);
    expect(report.skipped).toEqual([]);
    expect(report.paths.map((p) => p.id)).toEqual([...PATH_IDS]);
    for (const row of report.paths) {
      expect({ id: row.id, calls: row.calls > 0 }).toEqual({
        id: row.id,
        calls: true,
      });
      expect(finite(row.throughput)).toBe(true);
      if (row.inFlight !== null) {
        expect(finite(row.latencyMs?.p50)).toBe(true);
        expect(finite(row.latencyMs?.p95)).toBe(true);
        expect(finite(row.latencyMs?.p99)).toBe(true);
      }
      const anchors = ANCHORS[row.id];
      if (anchors?.throughput)
        expect(row.throughputRatio?.anchor).toBe(anchors.throughput);
      if (anchors?.p50) expect(row.p50Ratio?.anchor).toBe(anchors.p50);
    }

    // The uploads run, http-wait, http-wait-workers, http-wait-traced.
    expect(report.cpu.map((cpu) => cpu.workers)).toEqual([1, 1, 2, 1]);
    for (const cpu of report.cpu) {
      expect(finite(cpu.perUploadMs['api'])).toBe(true);
      expect(finite(cpu.perUploadMs['worker'])).toBe(true);
      expect(finite(cpu.perUploadMs['bench'])).toBe(true);
      expect(Object.keys(cpu.perUploadMs)).toEqual(
        expect.arrayContaining(['broker', 'postgres', 'postgres-server']),
      );
    }
    expect(report.rss?.uploads).toBeGreaterThan(0);
    expect(report.rss?.checkpoint?.uploads).toBe(8);
    for (const app of ['api', 'worker']) {
      expect(finite(report.rss?.beforeMb[app])).toBe(true);
      expect(finite(report.rss?.checkpoint?.mb[app])).toBe(true);
      expect(finite(report.rss?.afterMb[app])).toBe(true);
    }
    expect(report.machine.cores).toBeGreaterThan(0);
  });
});
