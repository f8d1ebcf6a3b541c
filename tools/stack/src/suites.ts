import { spawn } from 'node:child_process';

export interface Suite {
  name: string;
  command: string;
  args: string[];
}

export interface SuiteResult {
  name: string;
  ok: boolean;
  seconds: number;
  tests: TestCounts;
}

export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
}

const ANSI = new RegExp(String.raw`\u001b\[[0-9;]*m`, 'g');

/** Adds up Jest's `Tests: … passed, … total` lines, wherever Nx printed them. */
export function countJestTests(output: string): TestCounts {
  const counts: TestCounts = { passed: 0, failed: 0, skipped: 0 };
  for (const line of output.replace(ANSI, '').split('\n')) {
    const summary = /^\s*Tests:\s+(.*\btotal)\s*$/.exec(line);
    if (!summary?.[1]) continue;
    for (const [, n, kind] of summary[1].matchAll(
      /(\d+) (passed|failed|skipped|todo)/g,
    )) {
      const key = kind === 'todo' ? 'skipped' : (kind as keyof TestCounts);
      counts[key] += Number(n);
    }
  }
  return counts;
}

/** Runs one suite with its output streamed through, and keeps the output to count tests. */
export function runSuite(
  suite: Suite,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<SuiteResult> {
  const started = Date.now();
  console.log(
    `\n=== ${suite.name}: ${[suite.command, ...suite.args].join(' ')}`,
  );
  return new Promise((resolve) => {
    const child = spawn(suite.command, suite.args, {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer, sink: NodeJS.WriteStream) => {
      output += chunk.toString();
      sink.write(chunk);
    };
    child.stdout.on('data', (chunk: Buffer) => keep(chunk, process.stdout));
    child.stderr.on('data', (chunk: Buffer) => keep(chunk, process.stderr));
    const finish = (ok: boolean) =>
      resolve({
        name: suite.name,
        ok,
        seconds: (Date.now() - started) / 1000,
        tests: countJestTests(output),
      });
    child.on('error', (error) => {
      console.error(`${suite.name}: ${error.message}`);
      finish(false);
    });
    child.on('close', (code) => finish(code === 0));
  });
}

export function formatSummary(results: SuiteResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length), 5);
  const rows = results.map((r) => {
    const tests = r.tests.passed + r.tests.failed + r.tests.skipped;
    const counted =
      tests > 0 ? `${r.tests.passed} passed, ${r.tests.failed} failed` : '';
    return `${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(width)}  ${r.seconds.toFixed(1).padStart(6)}s  ${counted}`;
  });
  const total = results.reduce(
    (sum, r) => ({
      passed: sum.passed + r.tests.passed,
      failed: sum.failed + r.tests.failed,
      skipped: sum.skipped + r.tests.skipped,
    }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  const failedSuites = results.filter((r) => !r.ok).map((r) => r.name);
  return [
    '',
    '=== Summary',
    ...rows,
    failedSuites.length > 0
      ? `failed suites: ${failedSuites.join(', ')}`
      : 'all suites passed',
    `tests: ${total.passed} passed, ${total.failed} failed${total.skipped > 0 ? `, ${total.skipped} skipped` : ''}`,
  ].join('\n');
}
