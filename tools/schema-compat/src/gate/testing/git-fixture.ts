import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** One `messages[]` entry of a test catalogue. */
export interface FixtureMessage {
  readonly name: string;
  readonly file: string;
  readonly topic: string;
  readonly compatibility?: string;
}

/**
 * A throwaway git repository for the gate's tests, isolated from the user's
 * and the system's git config and from an outer hook's GIT_DIR.
 */
export class GitFixture {
  readonly env: NodeJS.ProcessEnv;

  private constructor(readonly dir: string) {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const key of Object.keys(env))
      if (key.startsWith('GIT_')) delete env[key];
    this.env = {
      ...env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Gate Test',
      GIT_AUTHOR_EMAIL: 'gate-test@example.invalid',
      GIT_COMMITTER_NAME: 'Gate Test',
      GIT_COMMITTER_EMAIL: 'gate-test@example.invalid',
    };
  }

  static create(prefix = 'schema-gate-'): GitFixture {
    const fixture = new GitFixture(mkdtempSync(join(tmpdir(), prefix)));
    fixture.git('init', '--quiet', '--initial-branch=main');
    return fixture;
  }

  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      env: this.env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  write(path: string, text: string): this {
    const file = join(this.dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return this;
  }

  /** Writes an Avro record `name` with these fields to `schemas/<file>`, one field per line. */
  writeRecord(file: string, name: string, fields: readonly object[]): this {
    const lines = fields.map((field) => `    ${JSON.stringify(field)}`);
    return this.write(
      `schemas/${file}`,
      `{\n  "type": "record",\n  "name": "${name}",\n  "namespace": "test.v1",\n  "fields": [\n${lines.join(',\n')}\n  ]\n}\n`,
    );
  }

  writeCatalogue(messages: readonly FixtureMessage[]): this {
    const catalogue = {
      messages: messages.map((message) => ({
        name: message.name,
        file: message.file,
        role: 'event',
        topic: message.topic,
        subject: `${message.topic}-value`,
        ...(message.compatibility === undefined
          ? {}
          : { compatibility: message.compatibility }),
      })),
    };
    return this.write(
      'schemas/catalogue.json',
      `${JSON.stringify(catalogue, null, 2)}\n`,
    );
  }

  remove(path: string): this {
    unlinkSync(join(this.dir, path));
    return this;
  }

  /** Stages everything and commits; returns the commit's sha. */
  commit(message: string): string {
    this.git('add', '--all');
    this.git('commit', '--quiet', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  branch(name: string): this {
    this.git('checkout', '--quiet', '-b', name);
    return this;
  }

  checkout(name: string): this {
    this.git('checkout', '--quiet', name);
    return this;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
