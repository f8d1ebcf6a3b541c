import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { workspaceRoot } from './context';
import { parseCommandLine, USAGE, UsageError } from './options';
import { runBench } from './run-bench';
import { formatReport } from './report/table';
import { installInterruptCleanup } from './system/interrupt-cleanup';
import { quietKafkajs } from './system/quiet-kafkajs';
import { collectStrayFailures } from './system/stray-failures';

/** Relative `--json` paths are the caller's: npm runs scripts from the workspace root. */
function jsonPath(given: string | undefined, startedAt: string): string {
  if (given !== undefined)
    return path.resolve(process.env['INIT_CWD'] ?? process.cwd(), given);
  const stamp = startedAt.replace(/[:.]/g, '-');
  return path.join(workspaceRoot, 'dist', 'bench', `bench-${stamp}.json`);
}

async function main(args: readonly string[]): Promise<number> {
  const parsed = parseCommandLine(args);
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // Nest's transports log through its Logger: only errors, so the figures stay readable.
  Logger.overrideLogger(['error']);
  quietKafkajs();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  installInterruptCleanup(log);
  collectStrayFailures(log);
  const report = await runBench(parsed.options, log);
  const file = jsonPath(parsed.options.jsonFile, report.startedAt);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\n${formatReport(report)}\n\nJSON: ${file}\n`);
  return report.failures.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Clients that linger after close (kafkajs retries, pools) must not hold the figures back.
    setTimeout(() => process.exit(code), 2_000).unref();
  },
  (error: unknown) => {
    process.stderr.write(
      error instanceof UsageError
        ? `${error.message}\n\n${USAGE}\n`
        : `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
