import { spawn } from 'node:child_process';
import type { ProcessUser } from './processes';

export class CommandError extends Error {
  override readonly name = 'CommandError';
}

/** Runs a command to completion; rejects with its output when it fails, so the cause is visible. */
export function runCommand(
  command: string,
  args: string[],
  options: {
    cwd?: string;
    what: string;
    /** Secrets among the arguments: replaced by *** in the error message. */
    redact?: readonly string[];
    /** Added to this process's environment. */
    env?: Record<string, string>;
    user?: ProcessUser;
  },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.env === undefined
        ? {}
        : { env: { ...process.env, ...options.env } }),
      ...options.user,
    });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      const hint =
        error.code === 'ENOENT'
          ? ` (is ${command} installed and on PATH?)`
          : '';
      reject(
        new CommandError(
          `${options.what}: cannot run ${command}${hint}: ${error.message}`,
        ),
      );
    });
    child.on('close', (code, signal) => {
      const text = Buffer.concat(output).toString('utf8');
      if (code === 0) {
        resolve(text);
        return;
      }
      const status = signal === null ? `exit code ${code}` : `signal ${signal}`;
      const tail = text.trimEnd().split('\n').slice(-40).join('\n');
      const message = `${options.what} failed (${status}): ${command} ${args.join(' ')}${tail === '' ? '' : `\n${tail}`}`;
      reject(new CommandError(redactSecrets(message, options.redact ?? [])));
    });
  });
}

function redactSecrets(text: string, secrets: readonly string[]): string {
  return secrets
    .filter((secret) => secret !== '')
    .reduce((redacted, secret) => redacted.split(secret).join('***'), text);
}
