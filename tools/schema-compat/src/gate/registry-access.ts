import { readFileSync } from 'node:fs';
import { GateInputError } from './errors';
import { DEFAULT_REGISTRY_URL } from './registry';

/** How the gate reaches a secured registry: an Authorization header and a CA, both optional. */
export interface RegistryAccess {
  readonly url: string;
  readonly authorization?: string;
  /** PEM CA bundle for an https registry. */
  readonly ca?: string;
}

/**
 * The registry settings the apps use (SCHEMA_REGISTRY_URL, _USERNAME + _PASSWORD or _TOKEN, _CA_FILE),
 * read with no dependency beyond Node: the gate runs before `npm ci`, so it cannot load the apps'
 * validated configuration. Problems name the variable and never show a secret.
 */
export function registryAccessFromEnv(env: NodeJS.ProcessEnv): RegistryAccess {
  const value = (name: string) => {
    const given = env[name]?.trim();
    return given === undefined || given === '' ? undefined : given;
  };
  const url = (value('SCHEMA_REGISTRY_URL') ?? DEFAULT_REGISTRY_URL).replace(
    /\/+$/,
    '',
  );
  const username = value('SCHEMA_REGISTRY_USERNAME');
  const password = env['SCHEMA_REGISTRY_PASSWORD'] || undefined;
  const token = value('SCHEMA_REGISTRY_TOKEN');
  const caFile = value('SCHEMA_REGISTRY_CA_FILE');
  const problems: string[] = [];
  if (token !== undefined && (username !== undefined || password !== undefined))
    problems.push(
      'SCHEMA_REGISTRY_TOKEN cannot be combined with SCHEMA_REGISTRY_USERNAME/SCHEMA_REGISTRY_PASSWORD: choose one',
    );
  else if ((username === undefined) !== (password === undefined))
    problems.push(
      `${username === undefined ? 'SCHEMA_REGISTRY_USERNAME' : 'SCHEMA_REGISTRY_PASSWORD'} is required with ${username === undefined ? 'SCHEMA_REGISTRY_PASSWORD' : 'SCHEMA_REGISTRY_USERNAME'}`,
    );
  let ca: string | undefined;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch (error) {
      problems.push(
        `SCHEMA_REGISTRY_CA_FILE: cannot read ${caFile} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
      );
    }
  }
  if (problems.length > 0) throw new GateInputError(problems);
  const authorization =
    token !== undefined
      ? `Bearer ${token}`
      : username !== undefined && password !== undefined
        ? `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
        : undefined;
  return {
    url,
    ...(authorization === undefined ? {} : { authorization }),
    ...(ca === undefined ? {} : { ca }),
  };
}

/** Which variables to check when the registry refuses the gate. */
export function credentialVariables(access: RegistryAccess): string {
  if (access.authorization?.startsWith('Bearer '))
    return 'SCHEMA_REGISTRY_TOKEN';
  if (access.authorization !== undefined)
    return 'SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD';
  return 'SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD, or SCHEMA_REGISTRY_TOKEN (none is set)';
}
