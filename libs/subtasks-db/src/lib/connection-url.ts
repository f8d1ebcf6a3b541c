/*
 * DATABASE_URL as every client of this library uses it: the app's PrismaPg, the offline migration CLI
 * and the test helpers pass the whole URL to node-postgres (pg 8.23 / pg-connection-string 2.14), so
 * its query parameters reach the driver unchanged. What they mean there:
 *
 * sslmode (pg differs from libpq unless the URL also says uselibpqcompat=true):
 *   disable                             no TLS
 *   prefer, require, verify-ca,         TLS, certificate chain AND host name verified (= verify-full);
 *   verify-full, any other value        pg never falls back to a plain connection, not even for prefer
 *   no-verify (pg only)                 TLS, nothing verified
 *   with uselibpqcompat=true            libpq's meanings: prefer and require encrypt without verifying
 *                                       (require with sslrootcert = verify-ca), verify-ca checks the
 *                                       chain only and needs sslrootcert; still no plain fallback
 * sslrootcert, sslcert, sslkey          PEM file paths, read when a connection is made; no `system`
 *                                       value (libpq 16) and no ~/.postgresql defaults: without
 *                                       sslrootcert Node's built-in CAs are trusted
 * sslpassword                           ignored by pg: use an unencrypted client key
 * application_name, options             sent to the server at startup
 * connect_timeout                       ignored by pg itself; poolOptions() turns it into
 *                                       connectionTimeoutMillis (libpq: seconds, minimum 2, 0 = none)
 */

const libpqMinimumConnectTimeoutSeconds = 2;

/** Query parameters that carry secrets (pg reads `password` from the query too). */
const secretParameters = ['password', 'sslpassword'];

/** The URL for messages: password and secret parameters shown as ***. Works on text that is no valid URL too. */
export function redactDatabaseUrl(value: string): string {
  const url = parseUrl(value);
  if (url === undefined) {
    return value
      .replace(/^([A-Za-z][\w+.-]*:\/\/[^:@/?#]*:).*@/, '$1***@')
      .replace(/\b((?:ssl)?password=)[^&\s]*/gi, '$1***');
  }
  if (url.password !== '') url.password = '***';
  if (url.search !== '') {
    url.search = queryPairs(url)
      .map((pair) => (pair.secret ? `${pair.rawKey}=***` : pair.raw))
      .join('&');
  }
  return url.toString();
}

/** Every form in which the URL's secrets could show up in a message, longest first. */
function secretsOf(value: string): string[] {
  const url = parseUrl(value);
  if (url === undefined) return [];
  const secrets = [url.password, safeDecode(url.password)];
  for (const pair of queryPairs(url)) {
    if (pair.secret) secrets.push(pair.rawValue, pair.value);
  }
  return [...new Set(secrets)]
    .filter((secret) => secret.length > 0)
    .sort((a, b) => b.length - a.length);
}

/** `text` with the URL itself redacted and any of its secrets replaced by ***. */
export function redactSecrets(text: string, databaseUrl: string): string {
  let redacted = replaceAll(text, databaseUrl, redactDatabaseUrl(databaseUrl));
  for (const secret of secretsOf(databaseUrl)) {
    redacted = replaceAll(redacted, secret, '***');
  }
  return redacted;
}

/** The same server and parameters, another database. */
export function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** pg pool options for the URL: the URL itself, plus the connect timeout pg would ignore. */
export function poolOptions(databaseUrl: string): {
  connectionString: string;
  connectionTimeoutMillis?: number;
} {
  const seconds = Number.parseInt(
    new URL(databaseUrl).searchParams.get('connect_timeout') ?? '',
    10,
  );
  return Number.isFinite(seconds) && seconds > 0
    ? {
        connectionString: databaseUrl,
        connectionTimeoutMillis:
          Math.max(seconds, libpqMinimumConnectTimeoutSeconds) * 1000,
      }
    : { connectionString: databaseUrl };
}

interface QueryPair {
  raw: string;
  rawKey: string;
  rawValue: string;
  value: string;
  secret: boolean;
}

function queryPairs(url: URL): QueryPair[] {
  return url.search
    .slice(1)
    .split('&')
    .filter((raw) => raw !== '')
    .map((raw) => {
      const equals = raw.indexOf('=');
      const rawKey = equals === -1 ? raw : raw.slice(0, equals);
      const rawValue = equals === -1 ? '' : raw.slice(equals + 1);
      const key = formDecode(rawKey).toLowerCase();
      return {
        raw,
        rawKey,
        rawValue,
        value: formDecode(rawValue),
        secret: secretParameters.includes(key),
      };
    });
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function formDecode(value: string): string {
  return safeDecode(value.replace(/\+/g, ' '));
}

function replaceAll(text: string, search: string, replacement: string): string {
  return search === '' ? text : text.split(search).join(replacement);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
