import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { workspaceRoot } from '../context';

/** `nx run-many -t build -p api subtask-worker` (cached when nothing changed). */
export async function buildApps(): Promise<void> {
  try {
    await promisify(execFile)(
      'npx',
      [
        'nx',
        'run-many',
        '-t',
        'build',
        '-p',
        'api',
        'subtask-worker',
        '--outputStyle=static',
      ],
      { cwd: workspaceRoot, maxBuffer: 64 * 1024 * 1024 },
    );
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    const output = `${stdout ?? ''}${stderr ?? ''}`.trim().split('\n');
    throw new Error(
      `building the apps failed:\n${output.slice(-40).join('\n')}`,
    );
  }
}
