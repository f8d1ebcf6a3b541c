import {
  configLocationArg,
  registryConfigFile,
  secureRegistryArgs,
  withSystemProperties,
} from './registry-security';

const tls = {
  port: 18443,
  certFile: '/p/registry.pem',
  keyFile: '/p/registry.key',
};

describe('secureRegistryArgs', () => {
  it('serves https only, with basic auth, bearer tokens and roles', () => {
    const args = secureRegistryArgs(tls);

    expect(args).toEqual(
      expect.arrayContaining([
        '-Dquarkus.http.ssl-port=18443',
        '-Dquarkus.http.insecure-requests=disabled',
        '-Dquarkus.http.ssl.certificate.files=/p/registry.pem',
        '-Dquarkus.http.ssl.certificate.key-files=/p/registry.key',
        '-Dquarkus.oidc.tenant-enabled=true',
        '-Dquarkus.oidc.token.issuer=subtasks-local-stack',
        '-Dquarkus.oidc.token.audience=apicurio-registry',
        '-Dquarkus.http.auth.basic=true',
        '-Dapicurio.auth.role-based-authorization=true',
        '-Dquarkus.security.users.embedded.enabled=true',
        '-Dquarkus.security.users.embedded.roles.app=sr-developer',
        '-Dquarkus.security.users.embedded.roles.reader=sr-readonly',
      ]),
    );
  });

  it('puts no password and no key material on the command line', () => {
    expect(
      secureRegistryArgs(tls).filter((arg) =>
        /users\.embedded\.users\.|public-key|password/.test(arg),
      ),
    ).toEqual([]);
  });
});

describe('registryConfigFile', () => {
  it('holds the users’ passwords and the token key', () => {
    const text = registryConfigFile({
      users: {
        appPassword: 'AppPassword123456',
        readerPassword: 'ReaderPassword1234',
      },
      tokenPublicKey: 'MIIBIjANBg',
    });

    expect(text.split('\n').filter((line) => !line.startsWith('#'))).toEqual([
      'quarkus.security.users.embedded.users.app=AppPassword123456',
      'quarkus.security.users.embedded.users.reader=ReaderPassword1234',
      'quarkus.oidc.public-key=MIIBIjANBg',
      '',
    ]);
  });

  it('is only a comment for a plain profile', () => {
    expect(registryConfigFile(undefined)).toMatch(/^#[^\n]*\n$/);
  });
});

describe('withSystemProperties', () => {
  it('adds the properties before -jar, where the JVM still reads them', () => {
    expect(
      withSystemProperties(
        ['-Xmx512m', '-Da=1', '-jar', 'app.jar'],
        [configLocationArg('/c/registry.properties')],
      ),
    ).toEqual([
      '-Xmx512m',
      '-Da=1',
      '-Dquarkus.config.locations=/c/registry.properties',
      '-jar',
      'app.jar',
    ]);
  });

  it('refuses arguments without -jar', () => {
    expect(() => withSystemProperties(['-Da=1'], ['-Db=2'])).toThrow(/-jar/);
  });
});
