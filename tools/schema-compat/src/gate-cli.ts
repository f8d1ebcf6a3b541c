import { runGateCli } from './gate/cli';

/**
 * Exits once the output is flushed: fetch keeps the socket of a timed-out
 * request to a registry that accepted the connection but never answered, and
 * that socket would otherwise hold the process (and CI) until TCP gives up.
 */
function exitWith(code: number): void {
  process.exitCode = code;
  process.stdout.write('', () =>
    process.stderr.write('', () => process.exit(code)),
  );
}

runGateCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
}).then(exitWith, (error: unknown) => {
  process.stderr.write(
    `schema:gate: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  exitWith(2);
});
