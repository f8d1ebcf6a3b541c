import { renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Writes a file only its owner can read (0600), whole or not at all: a reader never sees half a
 * key, and an interrupted write leaves the old file in place.
 */
export function writePrivateFile(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, content, { mode: 0o600 });
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}
