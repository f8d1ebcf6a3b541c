/**
 * The commands a plain shell script runs, in order: every line except the shebang, comments, blank
 * lines and the lines that only set up the shell (`set`, `cd`, `export`), which a CI runner does its own
 * way (GitHub Actions starts in the checkout and already sets CI=true).
 */
export function scriptCommands(script: string): string[] {
  return script
    .split('\n')
    .map((line) => line.trim())
    .filter(
      (line) =>
        line !== '' &&
        !line.startsWith('#') &&
        !/^(set|cd|export)\s/.test(line),
    );
}
