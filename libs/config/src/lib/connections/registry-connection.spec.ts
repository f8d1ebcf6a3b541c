import {
  createTestPki,
  refusalsOf,
  type TestPki,
} from '../../testing/test-pki';
import { parseEnvironment } from '../environment';
import { sharedEnvironment } from '../shared-environment';
import {
  registryConnectionOf,
  registryCredentialVariables,
} from './registry-connection';

let pki: TestPki;
beforeAll(() => (pki = createTestPki()));
afterAll(() => pki.remove());

const PASSWORD = 'registry-pass-never-shown';
const TOKEN = 'registry-token-never-shown';

function connectionOf(env: Record<string, string>) {
  return registryConnectionOf(parseEnvironment(sharedEnvironment, env));
}

function problemsOf(env: Record<string, string>): string[] {
  return refusalsOf(() => connectionOf(env));
}

describe('the registry connection', () => {
  it('is the local registry without credentials by default', () => {
    expect(connectionOf({})).toEqual({
      url: 'http://127.0.0.1:8081/apis/ccompat/v7',
    });
  });

  it('takes basic auth and a CA for https', () => {
    const connection = connectionOf({
      SCHEMA_REGISTRY_URL: 'https://registry.example/apis/ccompat/v7/',
      SCHEMA_REGISTRY_USERNAME: 'app',
      SCHEMA_REGISTRY_PASSWORD: PASSWORD,
      SCHEMA_REGISTRY_CA_FILE: pki.caFile,
    });
    expect(connection.url).toBe('https://registry.example/apis/ccompat/v7');
    expect(connection.auth).toEqual({
      kind: 'basic',
      username: 'app',
      password: PASSWORD,
    });
    expect(connection.ca).toContain('BEGIN CERTIFICATE');
    expect(registryCredentialVariables(connection)).toBe(
      'SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD',
    );
  });

  it('takes a bearer token', () => {
    const connection = connectionOf({ SCHEMA_REGISTRY_TOKEN: TOKEN });
    expect(connection.auth).toEqual({ kind: 'bearer', token: TOKEN });
    expect(registryCredentialVariables(connection)).toBe(
      'SCHEMA_REGISTRY_TOKEN',
    );
  });

  it.each<[string, Record<string, string>, RegExp]>([
    [
      'a token together with basic auth',
      {
        SCHEMA_REGISTRY_TOKEN: TOKEN,
        SCHEMA_REGISTRY_USERNAME: 'app',
        SCHEMA_REGISTRY_PASSWORD: PASSWORD,
      },
      /^SCHEMA_REGISTRY_TOKEN: cannot be combined .* \(got "\*\*\*"\)$/,
    ],
    [
      'a username without a password',
      { SCHEMA_REGISTRY_USERNAME: 'app' },
      /^SCHEMA_REGISTRY_PASSWORD: is required with SCHEMA_REGISTRY_USERNAME/,
    ],
    [
      'a CA file for an http URL',
      { SCHEMA_REGISTRY_CA_FILE: 'CA' },
      /^SCHEMA_REGISTRY_CA_FILE: is set, but SCHEMA_REGISTRY_URL is not https/,
    ],
    [
      'a CA file that does not exist',
      {
        SCHEMA_REGISTRY_URL: 'https://registry.example/apis/ccompat/v7',
        SCHEMA_REGISTRY_CA_FILE: '/nonexistent/ca.pem',
      },
      /^SCHEMA_REGISTRY_CA_FILE: cannot read \/nonexistent\/ca\.pem \(ENOENT\)/,
    ],
    [
      'credentials inside the URL, without showing them',
      {
        SCHEMA_REGISTRY_URL: `https://app:${PASSWORD}@registry.example/apis/ccompat/v7`,
      },
      /^SCHEMA_REGISTRY_URL: must not carry credentials: set SCHEMA_REGISTRY_USERNAME .*\(got "https:\/\/app:\*\*\*@registry/,
    ],
    [
      'credentials over http in production',
      {
        NODE_ENV: 'production',
        SCHEMA_REGISTRY_TOKEN: TOKEN,
      },
      /^SCHEMA_REGISTRY_URL: must be https:\/\/ when registry credentials are set in production/,
    ],
  ])('refuses %s, naming the variable', (_, given, expected) => {
    const env = Object.fromEntries(
      Object.entries(given).map(([name, value]) => [
        name,
        value === 'CA' ? pki.caFile : value,
      ]),
    );
    const problems = problemsOf(env);
    expect(problems.some((problem) => expected.test(problem))).toBe(true);
    expect(problems.join('\n')).not.toContain(PASSWORD);
    expect(problems.join('\n')).not.toContain(TOKEN);
  });
});
