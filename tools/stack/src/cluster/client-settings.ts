import { existsSync, readFileSync } from 'node:fs';
import { stackDefaults } from '../config';
import { writePrivateFile } from './private-files';
import { profilePaths } from './profile-paths';
import {
  brokerList,
  type ClusterProfile,
  type ClusterSelection,
  profileId,
  registryUrl,
  secureCluster,
} from './profile';
import { type ClusterSecrets, clusterUsers } from './secrets';

/** Variables whose values are never printed. */
export const secretClientVariables: ReadonlySet<string> = new Set([
  'KAFKA_SASL_PASSWORD',
  'SCHEMA_REGISTRY_PASSWORD',
]);

/** The variables the apps read to reach this profile, in the order client.env lists them. */
export function clientEnvironment(
  profile: ClusterProfile,
  security: { caFile: string; secrets: ClusterSecrets } | undefined,
): [string, string][] {
  const brokers = brokerList(profile).join(',');
  const registry = registryUrl(profile, stackDefaults.registryApiPath);
  if (!profile.secure || security === undefined) {
    return [
      ['KAFKA_BROKERS', brokers],
      ['SCHEMA_REGISTRY_URL', registry],
    ];
  }
  const { caFile, secrets } = security;
  return [
    ['KAFKA_BROKERS', brokers],
    ['KAFKA_SSL', 'true'],
    ['KAFKA_SSL_CA_FILE', caFile],
    ['KAFKA_SASL_MECHANISM', 'scram-sha-512'],
    ['KAFKA_SASL_USERNAME', clusterUsers.app],
    ['KAFKA_SASL_PASSWORD', secrets.kafkaAppPassword],
    ['SCHEMA_REGISTRY_URL', registry],
    ['SCHEMA_REGISTRY_USERNAME', clusterUsers.app],
    ['SCHEMA_REGISTRY_PASSWORD', secrets.registryAppPassword],
    ['SCHEMA_REGISTRY_CA_FILE', caFile],
  ];
}

const bareValue = /^[A-Za-z0-9_./:,@+=-]*$/;

/** `. client.env` in a shell (with `set -a`) and dotenv-style readers both take this form. */
export function renderEnvFile(
  entries: readonly (readonly [string, string])[],
  comment: string,
): string {
  const lines = entries.map(
    ([name, value]) =>
      `${name}=${bareValue.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`}`,
  );
  return `${comment
    .split('\n')
    .map((line) => `# ${line}`.trimEnd())
    .join('\n')}\n${lines.join('\n')}\n`;
}

/** The inverse of renderEnvFile (comments, blank lines, bare and single-quoted values). */
export function parseEnvFile(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (match === null) continue;
    const [, name, raw] = match;
    result[name] =
      raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2
        ? raw.slice(1, -1).replace(/'\\''/g, "'")
        : raw;
  }
  return result;
}

/** What `stack:up` may print: every setting but the passwords. */
export function printableSettings(
  entries: readonly (readonly [string, string])[],
): string[] {
  return entries
    .filter(([name]) => !secretClientVariables.has(name))
    .map(([name, value]) => `${name}=${value}`);
}

export function writeClientEnvironment(
  file: string,
  profile: ClusterProfile,
  entries: readonly (readonly [string, string])[],
): void {
  const flags = `--brokers ${profile.brokers}${profile.secure ? ' --secure' : ''}`;
  writePrivateFile(
    file,
    renderEnvFile(
      entries,
      `How the apps reach the ${profile.id} stack; written by \`npm run stack:up -- ${flags}\`.\n` +
        `Use: set -a; . ${file}; set +a`,
    ),
  );
}

export class ClientSettingsMissingError extends Error {
  override readonly name = 'ClientSettingsMissingError';
}

function readProfileFile(
  selection: ClusterSelection,
  file: string,
  what: string,
): string {
  if (!existsSync(file)) {
    const flags = `--brokers ${selection.brokers}${selection.secure ? ' --secure' : ''}`;
    throw new ClientSettingsMissingError(
      `No ${what} at ${file}: run \`npm run stack:up -- ${flags}\` first`,
    );
  }
  return readFileSync(file, 'utf8');
}

/** The profile's client.env as an object (the variables the apps read), for tests. */
export function clusterClientEnvironment(
  selection: ClusterSelection = secureCluster,
): Record<string, string> {
  const paths = profilePaths(profileId(selection));
  return parseEnvFile(
    readProfileFile(selection, paths.clientEnv, 'client settings'),
  );
}

/** The client settings of the secured three-broker cluster (`--brokers 3 --secure`). */
export function secureClientEnvironment(): Record<string, string> {
  return clusterClientEnvironment(secureCluster);
}

/** The registry bearer token the last `up` of a secure profile minted (valid 24 h from then). */
export function clusterRegistryToken(
  selection: ClusterSelection = secureCluster,
): string {
  const paths = profilePaths(profileId(selection));
  return readProfileFile(
    selection,
    paths.registryToken,
    'registry token',
  ).trim();
}
