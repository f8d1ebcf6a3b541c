import { randomInt } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writePrivateFile } from './private-files';

/** The user names are fixed; only the passwords are generated. */
export const clusterUsers = {
  /** Kafka: the brokers authenticate to each other as this user. */
  kafkaAdmin: 'admin',
  /** Kafka and registry user of the apps (registry role sr-developer). */
  app: 'app',
  /** Registry user with role sr-readonly. */
  registryReader: 'reader',
} as const;

export interface ClusterSecrets {
  kafkaAdminPassword: string;
  kafkaAppPassword: string;
  registryAppPassword: string;
  registryReaderPassword: string;
}

const secretNames = [
  'kafkaAdminPassword',
  'kafkaAppPassword',
  'registryAppPassword',
  'registryReaderPassword',
] as const satisfies readonly (keyof ClusterSecrets)[];

/*
 * Letters and digits only: `kafka-storage format --add-scram` breaks on a comma or `]` even inside
 * quotes, JAAS values are quoted strings, Quarkus expands `${`, and client.env is sourced by a shell.
 */
export const passwordAlphabet =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const passwordLength = 32;
const safePassword = new RegExp(`^[${passwordAlphabet}]{16,}$`);

export function generatePassword(
  length: number = passwordLength,
  pick: (below: number) => number = randomInt,
): string {
  return Array.from(
    { length },
    () => passwordAlphabet[pick(passwordAlphabet.length)],
  ).join('');
}

export function isSafePassword(value: unknown): value is string {
  return typeof value === 'string' && safePassword.test(value);
}

export class ClusterSecretsError extends Error {
  override readonly name = 'ClusterSecretsError';
}

/** The profile's passwords: read from `file`, or generated and written (0600) the first time. */
export function ensureSecrets(file: string): {
  secrets: ClusterSecrets;
  created: boolean;
} {
  if (existsSync(file)) return { secrets: readSecrets(file), created: false };
  const secrets = Object.fromEntries(
    secretNames.map((name) => [name, generatePassword()]),
  ) as unknown as ClusterSecrets;
  writePrivateFile(file, `${JSON.stringify(secrets, null, 2)}\n`);
  return { secrets, created: true };
}

export function readSecrets(file: string): ClusterSecrets {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ClusterSecretsError(
      `Cannot read the generated passwords in ${file} (${(error as Error).message}); delete the profile's folder after \`stack:down\` to start afresh`,
    );
  }
  const record = (parsed ?? {}) as Record<string, unknown>;
  const bad = secretNames.filter((name) => !isSafePassword(record[name]));
  if (bad.length > 0) {
    throw new ClusterSecretsError(
      `${file}: ${bad.join(', ')} must be at least 16 letters or digits`,
    );
  }
  return Object.fromEntries(
    secretNames.map((name) => [name, record[name]]),
  ) as unknown as ClusterSecrets;
}
