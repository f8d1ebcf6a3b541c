import {
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ClusterSecretsError,
  ensureSecrets,
  generatePassword,
  isSafePassword,
  passwordAlphabet,
} from './secrets';
import { scramArguments } from './kafka-nodes';

describe('generatePassword', () => {
  it('draws 32 characters from letters and digits only', () => {
    for (let round = 0; round < 50; round++) {
      const password = generatePassword();
      expect(password).toMatch(/^[A-Za-z0-9]{32}$/);
    }
    expect(passwordAlphabet).not.toMatch(/[,\]"'$\\\s=]/);
  });

  it('yields passwords that --add-scram takes as one value', () => {
    const password = generatePassword();
    const [, value] = scramArguments([{ name: 'app', password }]);

    expect(value).toBe(`SCRAM-SHA-512=[name=app,password=${password}]`);
  });

  it('tells safe passwords from others', () => {
    expect(isSafePassword('abcdEFGH12345678')).toBe(true);
    expect(isSafePassword('short1')).toBe(false);
    expect(isSafePassword('abcdEFGH12345678,]')).toBe(false);
    expect(isSafePassword(42)).toBe(false);
  });
});

describe('ensureSecrets', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stack-secrets-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates every password once (0600) and reads them back afterwards', () => {
    const file = join(dir, 'secrets.json');
    const first = ensureSecrets(file);
    const second = ensureSecrets(file);

    expect(first.created).toBe(true);
    expect(second).toEqual({ secrets: first.secrets, created: false });
    expect(Object.keys(first.secrets).sort()).toEqual([
      'kafkaAdminPassword',
      'kafkaAppPassword',
      'registryAppPassword',
      'registryReaderPassword',
    ]);
    expect(new Set(Object.values(first.secrets)).size).toBe(4);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first.secrets);
  });

  it('refuses a file with an unsafe or missing password, naming it', () => {
    const file = join(dir, 'secrets.json');
    ensureSecrets(file);
    const secrets = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(
      file,
      JSON.stringify({
        ...secrets,
        kafkaAppPassword: 'has,comma]and-more-chars',
      }),
    );

    expect(() => ensureSecrets(file)).toThrow(ClusterSecretsError);
    expect(() => ensureSecrets(file)).toThrow(/kafkaAppPassword/);
    writeFileSync(file, '{not json');
    expect(() => ensureSecrets(file)).toThrow(/Cannot read/);
  });
});
