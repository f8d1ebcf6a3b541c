import {
  poolOptions,
  redactDatabaseUrl,
  redactSecrets,
  withDatabase,
} from './connection-url';

const password = 'p@ss:w/rd?#%&+';
const encoded = encodeURIComponent(password);
const tlsUrl = `postgresql://app:${encoded}@db.example:5432/subtasks?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&application_name=api`;

describe('redactDatabaseUrl', () => {
  it('shows the password as *** and keeps everything else', () => {
    expect(redactDatabaseUrl(tlsUrl)).toBe(
      'postgresql://app:***@db.example:5432/subtasks?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&application_name=api',
    );
  });

  it('leaves a URL without a password alone', () => {
    const url = 'postgresql://postgres@127.0.0.1:5432/subtasks?sslmode=disable';
    expect(redactDatabaseUrl(url)).toBe(url);
  });

  it('hides password and sslpassword given as parameters', () => {
    expect(
      redactDatabaseUrl(
        'postgresql://app@db/x?password=s3cret&sslpassword=k%2Bey&sslmode=require',
      ),
    ).toBe(
      'postgresql://app@db/x?password=***&sslpassword=***&sslmode=require',
    );
  });

  it('masks the password of text that is no valid URL', () => {
    const text = `postgresql://app:${password}@db:5432:99/x?sslpassword=key secret`;
    const redacted = redactDatabaseUrl(text);
    expect(redacted).toBe(
      'postgresql://app:***@db:5432:99/x?sslpassword=*** secret',
    );
    expect(redacted).not.toContain('p@ss');
  });
});

describe('redactSecrets', () => {
  it('replaces the URL and every form of its password in a message', () => {
    const message = `failed: ${tlsUrl} / password ${password} / encoded ${encoded}`;
    const redacted = redactSecrets(message, tlsUrl);
    expect(redacted).not.toContain(password);
    expect(redacted).not.toContain(encoded);
    expect(redacted).toContain('postgresql://app:***@db.example:5432/subtasks');
  });
});

describe('withDatabase', () => {
  it('changes only the database and keeps every parameter', () => {
    expect(withDatabase(tlsUrl, 'prisma_shadow_1')).toBe(
      `postgresql://app:${encoded}@db.example:5432/prisma_shadow_1?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&application_name=api`,
    );
  });
});

describe('poolOptions', () => {
  it('passes the URL itself to pg', () => {
    expect(poolOptions(tlsUrl)).toEqual({ connectionString: tlsUrl });
  });

  it.each([
    ['10', 10_000],
    ['1', 2_000],
  ])(
    'turns connect_timeout=%s (seconds, libpq minimum 2) into connectionTimeoutMillis',
    (seconds, millis) => {
      const url = `${tlsUrl}&connect_timeout=${seconds}`;
      expect(poolOptions(url)).toEqual({
        connectionString: url,
        connectionTimeoutMillis: millis,
      });
    },
  );

  it.each(['0', '-1', 'soon'])(
    'waits without limit for connect_timeout=%s, as libpq does',
    (seconds) => {
      expect(
        poolOptions(`${tlsUrl}&connect_timeout=${seconds}`),
      ).not.toHaveProperty('connectionTimeoutMillis');
    },
  );
});
