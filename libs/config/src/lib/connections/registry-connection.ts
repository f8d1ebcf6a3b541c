import { z } from 'zod';
import { ENVIRONMENT_DEFAULTS } from '../defaults';
import {
  type EnvironmentProblem,
  filePath,
  InvalidEnvironmentError,
  parseEnvironment,
} from '../environment';
import { PemFileError, readCertificates } from './pem-files';

const registryUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .refine((value) => !URL.canParse(value) || new URL(value).username === '', {
    message:
      'must not carry credentials: set SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD (or SCHEMA_REGISTRY_TOKEN) instead',
  })
  .transform((value) => value.replace(/\/+$/, ''));

/** The Schema Registry's Confluent-compatible API and how to authenticate to it. */
export const registryEnvironment = z.object({
  SCHEMA_REGISTRY_URL: registryUrl.prefault(
    ENVIRONMENT_DEFAULTS.SCHEMA_REGISTRY_URL,
  ),
  SCHEMA_REGISTRY_USERNAME: z.string().trim().min(1).optional(),
  SCHEMA_REGISTRY_PASSWORD: z.string().min(1).optional(),
  SCHEMA_REGISTRY_TOKEN: z.string().trim().min(1).optional(),
  SCHEMA_REGISTRY_CA_FILE: filePath.optional(),
});

export type RegistryEnvironment = z.infer<typeof registryEnvironment>;

export type RegistryAuth =
  | {
      readonly kind: 'basic';
      readonly username: string;
      readonly password: string;
    }
  | { readonly kind: 'bearer'; readonly token: string };

/** A validated way to reach the registry; `auth` and `ca` are absent when not configured. */
export interface RegistryConnection {
  /** Confluent-compatible API base, e.g. https://registry.example/apis/ccompat/v7 */
  readonly url: string;
  readonly auth?: RegistryAuth;
  /** PEM CA bundle for an https URL; the platform's trusted CAs when absent. */
  readonly ca?: string;
}

/** Which variables hold the registry credentials, for messages that tell the user what to fix. */
export function registryCredentialVariables(
  connection: Pick<RegistryConnection, 'auth'>,
): string {
  switch (connection.auth?.kind) {
    case 'basic':
      return 'SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD';
    case 'bearer':
      return 'SCHEMA_REGISTRY_TOKEN';
    default:
      return 'SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD, or SCHEMA_REGISTRY_TOKEN (none is set)';
  }
}

type RegistryConnectionInput = RegistryEnvironment & { NODE_ENV?: string };

/** The connection a valid environment describes, or every problem with it, each on its variable. */
export function checkRegistryConnection(env: RegistryConnectionInput): {
  value?: RegistryConnection;
  problems: EnvironmentProblem[];
} {
  const problems: EnvironmentProblem[] = [];
  const https = env.SCHEMA_REGISTRY_URL.startsWith('https:');
  const auth = checkAuth(env, problems);
  if (auth !== undefined && !https && env.NODE_ENV === 'production') {
    problems.push({
      variable: 'SCHEMA_REGISTRY_URL',
      message:
        'must be https:// when registry credentials are set in production (they would travel as clear text)',
    });
  }
  let ca: string | undefined;
  if (env.SCHEMA_REGISTRY_CA_FILE !== undefined) {
    if (!https) {
      problems.push({
        variable: 'SCHEMA_REGISTRY_CA_FILE',
        message: 'is set, but SCHEMA_REGISTRY_URL is not https://',
      });
    } else {
      try {
        ca = readCertificates(env.SCHEMA_REGISTRY_CA_FILE).pem;
      } catch (error) {
        problems.push({
          variable: 'SCHEMA_REGISTRY_CA_FILE',
          message:
            error instanceof PemFileError ? error.message : String(error),
        });
      }
    }
  }
  if (problems.length > 0) return { problems };
  return {
    problems,
    value: {
      url: env.SCHEMA_REGISTRY_URL,
      ...(auth === undefined ? {} : { auth }),
      ...(ca === undefined ? {} : { ca }),
    },
  };
}

/** The registry connection that raw environment variables describe (tools and tests); throws naming each bad one. */
export function registryConnectionFromEnvironment(
  env: Record<string, unknown> = process.env,
): RegistryConnection {
  return registryConnectionOf({
    ...parseEnvironment(registryEnvironment, env),
    NODE_ENV: typeof env['NODE_ENV'] === 'string' ? env['NODE_ENV'] : undefined,
  });
}

/** The registry connection of a parsed environment; throws naming each bad variable. */
export function registryConnectionOf(
  env: RegistryConnectionInput,
): RegistryConnection {
  const { value, problems } = checkRegistryConnection(env);
  if (value === undefined) throw InvalidEnvironmentError.of(problems);
  return value;
}

function checkAuth(
  env: RegistryConnectionInput,
  problems: EnvironmentProblem[],
): RegistryAuth | undefined {
  const username = env.SCHEMA_REGISTRY_USERNAME;
  const password = env.SCHEMA_REGISTRY_PASSWORD;
  const token = env.SCHEMA_REGISTRY_TOKEN;
  if (
    token !== undefined &&
    (username !== undefined || password !== undefined)
  ) {
    problems.push({
      variable: 'SCHEMA_REGISTRY_TOKEN',
      message:
        'cannot be combined with SCHEMA_REGISTRY_USERNAME/SCHEMA_REGISTRY_PASSWORD: choose a bearer token or basic auth',
    });
    return undefined;
  }
  if (token !== undefined) return { kind: 'bearer', token };
  if (username === undefined && password === undefined) return undefined;
  if (username === undefined || password === undefined) {
    problems.push({
      variable:
        username === undefined
          ? 'SCHEMA_REGISTRY_USERNAME'
          : 'SCHEMA_REGISTRY_PASSWORD',
      message: `is required with ${username === undefined ? 'SCHEMA_REGISTRY_PASSWORD' : 'SCHEMA_REGISTRY_USERNAME'} (basic auth)`,
    });
    return undefined;
  }
  return { kind: 'basic', username, password };
}
