import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { RawRequest } from './raw-http';
import type { SeededRandom } from './seeded-random';

/*
 * Malformed requests over every route of the api, drawn from a seeded PRNG: the same seed gives the
 * same requests. Each category is one kind of input a fuzzing run found or could find; a few valid
 * requests are mixed in so the happy path runs between them.
 */

export interface FuzzRequest extends RawRequest {
  readonly category: string;
}

/** Several PUTs of one subtask sent at once. */
export interface ConcurrentPuts {
  readonly category: 'concurrent PUTs';
  readonly subtaskId: string;
  readonly requests: readonly FuzzRequest[];
}

export type FuzzItem = FuzzRequest | ConcurrentPuts;

export interface FuzzTargets {
  /** Subtasks that exist, for requests that reach the database. */
  readonly existingIds: readonly string[];
  /** Fresh subtasks, one per group of concurrent PUTs. */
  readonly concurrentIds: readonly string[];
}

/** Express's default JSON limit, which the api keeps. */
const BODY_LIMIT = 100 * 1024;
const JSON_TYPE = { 'content-type': 'application/json' };

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const text = (value: string) => Buffer.from(value);

type Generate = (rng: SeededRandom, targets: FuzzTargets) => RawRequest;

function idSegment(rng: SeededRandom, targets: FuzzTargets): string {
  return rng.chance(0.5)
    ? rng.pick(targets.existingIds)
    : rng.pick([randomUUIDFrom(rng), rng.text(rng.int(1, 40)), '0', 'null']);
}

/** A UUID-shaped id from the PRNG (crypto's would make the run irreproducible). */
function randomUUIDFrom(rng: SeededRandom): string {
  const hex = rng.bytes(16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A route that reads a JSON body, with a plausible id. */
function bodyRoute(
  rng: SeededRandom,
  targets: FuzzTargets,
): { method: string; path: string } {
  const id = idSegment(rng, targets);
  return rng.weighted([
    [3, { method: 'POST', path: '/subtasks' }],
    [2, { method: 'PUT', path: `/subtasks/${id}/result` }],
    [1, { method: 'PUT', path: `/subtasks/${id}/result?wait=true` }],
  ]);
}

/** A body for bodyRoute's route with `field` set to a raw JSON value. */
function bodyWith(path: string, rawValue: string): Buffer {
  const field = path.startsWith('/subtasks/') ? 'isWorkerComplete' : 'title';
  return text(`{"${field}":${rawValue}}`);
}

function nested(depth: number, shape: 'array' | 'object' | 'mixed'): string {
  let open = '';
  let close = '';
  for (let level = 0; level < depth; level++) {
    const array = shape === 'array' || (shape === 'mixed' && level % 2 === 0);
    open += array ? '[' : '{"a":';
    close = (array ? ']' : '}') + close;
  }
  return `${open}1${close}`;
}

let bomb: Buffer | undefined;

/** 2 MB of JSON in a few kB of gzip: the limit must apply to what it inflates to. Made once. */
function gzipBomb(): Buffer {
  bomb ??= gzipSync(`{"title":"${' '.repeat(2_000_000)}"}`);
  return bomb;
}

const LONE_SURROGATES = ['\\ud800', '\\udbff', '\\udc00', '\\udfff'];
const INVALID_UTF8: readonly number[][] = [
  [0xff],
  [0xfe, 0xff],
  [0xc0, 0x80], // overlong NUL
  [0xed, 0xa0, 0x80], // an encoded surrogate
  [0xe2, 0x82], // truncated sequence
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0x80],
];

const CATEGORIES: readonly (readonly [number, string, Generate])[] = [
  [
    6,
    'NUL in id',
    (rng, targets) => {
      const id = idSegment(rng, targets);
      const at = rng.int(0, id.length);
      const path = `/subtasks/${id.slice(0, at)}%00${id.slice(at)}`;
      return rng.chance(0.5)
        ? { method: 'GET', path }
        : {
            method: 'PUT',
            path: `${path}/result${rng.chance(0.3) ? '?wait=true' : ''}`,
            headers: JSON_TYPE,
            body: json({}),
          };
    },
  ],
  [
    6,
    'NUL in title',
    (rng) => {
      const title = `${rng.text(rng.int(0, 20))}\u0000${rng.text(rng.int(0, 20))}`;
      return {
        method: 'POST',
        path: '/subtasks',
        headers: JSON_TYPE,
        // Escaped (valid JSON), or raw (a control character JSON does not allow).
        body: rng.chance(0.7) ? json({ title }) : text(`{"title":"${title}"}`),
      };
    },
  ],
  [
    6,
    'lone surrogate',
    (rng, targets) => {
      const surrogate = rng.pick(LONE_SURROGATES);
      return rng.weighted<RawRequest>([
        [
          3,
          {
            method: 'POST',
            path: '/subtasks',
            headers: JSON_TYPE,
            body: text(`{"title":"${rng.text(3)}${surrogate}${rng.text(3)}"}`),
          },
        ],
        [
          1,
          {
            method: 'POST',
            path: '/subtasks',
            headers: JSON_TYPE,
            body: text(`{"title":"x","${surrogate}":1}`),
          },
        ],
        [
          1,
          {
            method: 'PUT',
            path: `/subtasks/${idSegment(rng, targets)}/result`,
            headers: JSON_TYPE,
            body: text(`{"isWorkerComplete":"${surrogate}"}`),
          },
        ],
        // Percent-encoded surrogate or invalid UTF-8 in the id.
        [
          1,
          {
            method: 'GET',
            path: `/subtasks/a${rng.pick(['%ED%A0%80', '%ff', '%E0%A4%A', '%', '%zz'])}b`,
          },
        ],
      ]);
    },
  ],
  [
    8,
    'deeply nested JSON',
    (rng, targets) => {
      const shape = rng.pick(['array', 'object', 'mixed'] as const);
      // {"a": costs 5 bytes a level, [ 1: stay under the body limit so the depth is what is refused.
      const maxDepth = shape === 'array' ? 50_000 : 16_000;
      const depth = rng.pick([33, 40, 100, 1_000, 10_000, maxDepth]);
      const { method, path } = bodyRoute(rng, targets);
      const body = bodyWith(path, nested(depth, shape));
      if (body.length > BODY_LIMIT) throw new Error('nested body over limit');
      return { method, path, headers: JSON_TYPE, body };
    },
  ],
  [
    3,
    'nested JSON within the limit',
    (rng, targets) => {
      const { method, path } = bodyRoute(rng, targets);
      return {
        method,
        path,
        headers: JSON_TYPE,
        body: bodyWith(
          path,
          nested(rng.int(1, 31), rng.pick(['array', 'object'] as const)),
        ),
      };
    },
  ],
  [
    4,
    'oversized body',
    (rng, targets) => {
      const { method, path } = bodyRoute(rng, targets);
      const size = rng.pick([BODY_LIMIT + 1, 150_000, 500_000, 2_000_000]);
      return {
        method,
        path,
        headers: rng.chance(0.3)
          ? { ...JSON_TYPE, 'transfer-encoding': 'chunked' }
          : JSON_TYPE,
        body: bodyWith(path, JSON.stringify('a'.repeat(size))),
      };
    },
  ],
  [
    6,
    'wrong content type',
    (rng, targets) => {
      const { method, path } = bodyRoute(rng, targets);
      const contentType = rng.pick([
        'text/plain',
        'text/plain; charset=utf-8',
        'application/xml',
        'text/xml',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/octet-stream',
        'application/jsonx',
        'json',
        'application/',
        ';;;',
        'application/json-patch',
        '',
      ]);
      const body = rng.pick([
        text('{"title":"x","isWorkerComplete":true}'),
        text('<subtask><title>x</title></subtask>'),
        text('title=x&isWorkerComplete=true'),
        text(
          '--x\r\nContent-Disposition: form-data; name="title"\r\n\r\nx\r\n--x--',
        ),
      ]);
      return {
        method,
        path,
        headers: contentType === '' ? {} : { 'content-type': contentType },
        body,
      };
    },
  ],
  [
    4,
    'charset',
    (rng, targets) => {
      const { method, path } = bodyRoute(rng, targets);
      const charset = rng.pick([
        'latin1',
        'iso-8859-1',
        'utf-16',
        'utf-16le',
        'utf-32',
        'ascii',
        'koi8-r',
        'x-unknown',
        '"utf-8"',
        'UTF-8',
      ]);
      const body = bodyWith(path, '"caf\u00e9"');
      return {
        method,
        path,
        headers: { 'content-type': `application/json; charset=${charset}` },
        body:
          charset.startsWith('latin') || charset.startsWith('iso')
            ? Buffer.from(body.toString(), 'latin1')
            : body,
      };
    },
  ],
  [
    5,
    'content encoding',
    (rng, targets) => {
      const { method, path } = bodyRoute(rng, targets);
      const valid = bodyWith(path, path === '/subtasks' ? '"zipped"' : 'true');
      const [encoding, body] = rng.pick<readonly [string, Buffer]>([
        ['gzip', rng.bytes(rng.int(1, 200))],
        ['gzip', gzipSync(valid).subarray(0, 12)],
        ['deflate', rng.bytes(rng.int(1, 200))],
        ['br', rng.bytes(rng.int(1, 200))],
        ['compress', valid],
        ['x-custom', valid],
        ['gzip, gzip', gzipSync(gzipSync(valid))],
        ['gzip', gzipSync(valid)],
        ['deflate', deflateSync(valid)],
        ['br', brotliCompressSync(valid)],
        ['gzip', gzipBomb()],
        ['identity', valid],
      ]);
      return {
        method,
        path,
        headers: { ...JSON_TYPE, 'content-encoding': encoding },
        body,
      };
    },
  ],
  [
    5,
    'unknown fields',
    (rng, targets) => {
      const { method, path } = bodyRoute(rng, targets);
      const known =
        path === '/subtasks' ? '"title":"x"' : '"isWorkerComplete":true';
      const extra = rng.pick([
        '"extra":1',
        '"__proto__":{"polluted":true}',
        '"constructor":{"prototype":{"polluted":true}}',
        '"prototype":1',
        '"id":"given"',
        '"submitted":true',
        '"uploading":false',
        `"${rng.text(rng.int(1, 200))}":"${rng.text(5)}"`,
        Array.from({ length: 50 }, (_, i) => `"k${i}":${i}`).join(','),
      ]);
      return {
        method,
        path,
        headers: JSON_TYPE,
        body: text(`{${known},${extra}}`),
      };
    },
  ],
  [
    5,
    'invalid UTF-8',
    (rng, targets) => {
      const { method, path } = bodyRoute(rng, targets);
      const field = path === '/subtasks' ? 'title' : 'isWorkerComplete';
      return {
        method,
        path,
        headers: JSON_TYPE,
        body: Buffer.concat([
          text(`{"${field}":"${rng.text(2)}`),
          Buffer.from(rng.pick(INVALID_UTF8)),
          text(`${rng.text(2)}"}`),
        ]),
      };
    },
  ],
  [
    6,
    'huge numbers and strings',
    (rng, targets) => {
      const { method, path } = bodyRoute(rng, targets);
      const value = rng.pick([
        '1e309',
        '-1e309',
        '1e-400',
        '123456789012345678901234567890123456789',
        '-0',
        '0.1e99999',
        JSON.stringify('t'.repeat(rng.pick([501, 5_000, 90_000]))),
        JSON.stringify('\u00e9'.repeat(501)),
        JSON.stringify('\ud83d\ude00'.repeat(300)),
        '[]',
        '{}',
        'true',
        'null',
        '"true"',
        '1',
        '""',
        '"   "',
      ]);
      return {
        method,
        path,
        headers: JSON_TYPE,
        body: bodyWith(path, value),
      };
    },
  ],
  [
    5,
    'not an object',
    (rng, targets) => {
      const { method, path } = bodyRoute(rng, targets);
      return {
        method,
        path,
        headers: JSON_TYPE,
        body: text(
          rng.pick([
            '[]',
            '[{"title":"x"}]',
            '"x"',
            '42',
            'null',
            'true',
            ' ',
            '\n\t',
            '[[]]',
          ]),
        ),
      };
    },
  ],
  [
    6,
    'malformed JSON',
    (rng, targets) => {
      const { method, path } = bodyRoute(rng, targets);
      const valid = '{"title":"x","isWorkerComplete":true}';
      return {
        method,
        path,
        headers: JSON_TYPE,
        body: text(
          rng.pick([
            valid.slice(0, rng.int(1, valid.length - 1)),
            "{'title':'x'}",
            '{"title":"x",}',
            '{"title":NaN}',
            '{"title":"x"}garbage',
            '/* comment */{}',
            '\ufeff{"title":"bom"}',
            '{"title":"\\x"}',
            '{"title":"\\u12"}',
            '{"title" "x"}',
            '{title:"x"}',
            '{"title":undefined}',
            '{"a":1,"a":2',
            '}{',
          ]),
        ),
      };
    },
  ],
  [
    5,
    'query string',
    (rng, targets) => {
      const query = rng.pick([
        'wait=1',
        'wait=yes',
        'wait=',
        'wait=%00',
        'wait=TRUE',
        'wait=true&wait=false',
        'wait[]=true',
        'wait[a]=1',
        '__proto__=1',
        'constructor[prototype][x]=1',
        'other=1',
        `wait=${'t'.repeat(5_000)}`,
        'wait=%ED%A0%80',
        'wait=%',
        '&&&',
        'wait=false',
      ]);
      return {
        method: 'PUT',
        path: `/subtasks/${idSegment(rng, targets)}/result?${query}`,
        headers: JSON_TYPE,
        body: json({}),
      };
    },
  ],
  [
    4,
    'long or odd id',
    (rng) => {
      const id = rng.pick([
        'a'.repeat(101),
        'a'.repeat(rng.int(200, 8_000)),
        '%20',
        '..',
        '%2e%2e',
        encodeURIComponent('\u00e9\u4e2d\ud83d\ude00'),
        '%2F',
        'x%0Ay',
        "'%20OR%201=1--",
      ]);
      return rng.chance(0.5)
        ? { method: 'GET', path: `/subtasks/${id}` }
        : {
            method: 'PUT',
            path: `/subtasks/${id}/result`,
            headers: JSON_TYPE,
            body: json({}),
          };
    },
  ],
  [
    4,
    'unknown route',
    (rng, targets) => ({
      method: rng.pick(['GET', 'POST', 'PUT']),
      path: rng.pick([
        '/',
        '/subtasks',
        '/subtasks/',
        `/subtasks/${idSegment(rng, targets)}/result`,
        `/subtasks/${idSegment(rng, targets)}/x/y`,
        '/api',
        '/%2e%2e/%2e%2e/etc/passwd',
        '//subtasks//x',
        '/health/x',
        '/docs-json/x',
        '/metrics',
        `/${rng.text(rng.int(1, 300))}`,
        '/%00',
        '/subtasks/%ff/result',
      ]),
      headers: JSON_TYPE,
      body: json({ title: 'x' }),
    }),
  ],
  [
    4,
    'odd method',
    (rng, targets) => ({
      method: rng.pick([
        'DELETE',
        'PATCH',
        'OPTIONS',
        'HEAD',
        'PROPFIND',
        'MKCOL',
        'LOCK',
        'UNLOCK',
        'SEARCH',
        'PURGE',
        'TRACE',
        'COPY',
        'MOVE',
        'REPORT',
        'FOO',
      ]),
      path: rng.pick([
        '/subtasks',
        `/subtasks/${idSegment(rng, targets)}`,
        `/subtasks/${idSegment(rng, targets)}/result`,
        '/health',
        '/docs-json',
      ]),
    }),
  ],
  [
    2,
    'health and docs',
    (rng) => ({
      method: rng.pick(['GET', 'GET', 'HEAD']),
      path: rng.pick([
        '/health',
        '/health?verbose=%00',
        '/docs-json',
        `/docs-json?${rng.text(20)}=%ff`,
        '/docs-yaml',
      ]),
      headers: rng.pick([
        {},
        { accept: 'application/xml' },
        { 'content-type': 'application/json' },
      ]),
    }),
  ],
  [
    3,
    'odd headers',
    (rng, targets) => ({
      method: 'GET',
      path: `/subtasks/${idSegment(rng, targets)}`,
      headers: rng.pick([
        { 'x-request-id': 'r'.repeat(4_000) },
        { 'x-request-id': '\u00ff\u00fe' },
        { 'x-request-id': '' },
        { authorization: 'Bearer \u00ff' },
        { authorization: 'Basic' },
        { accept: '*/*;q=x' },
        { 'content-type': 'application/json', 'content-length': '0' },
        { 'accept-encoding': 'gzip;q=nope' },
      ]),
    }),
  ],
  [
    6,
    'valid',
    (rng, targets) =>
      rng.weighted<RawRequest>([
        [
          2,
          {
            method: 'POST',
            path: '/subtasks',
            headers: JSON_TYPE,
            body: json({ title: `fuzz ${rng.text(8)} \u00e9\ud83d\ude00` }),
          },
        ],
        [
          3,
          { method: 'GET', path: `/subtasks/${rng.pick(targets.existingIds)}` },
        ],
        [
          1,
          {
            method: 'PUT',
            path: `/subtasks/${rng.pick(targets.existingIds)}/result`,
            headers: JSON_TYPE,
            body: json({ isWorkerComplete: rng.chance(0.5) }),
          },
        ],
      ]),
  ],
];

const WEIGHTED = CATEGORIES.map(
  ([weight, category, generate]) => [weight, { category, generate }] as const,
);

/**
 * `count` requests in all: single requests of every category, and one group of concurrent PUTs per
 * `targets.concurrentIds` entry (`perGroup` each), spread through the run. Made one at a time as
 * they are taken (some bodies are megabytes); the n-th is the same whoever takes it.
 */
export function* eachMalformedRequest(
  rng: SeededRandom,
  targets: FuzzTargets,
  count: number,
  perGroup: number,
): Generator<FuzzItem, void, undefined> {
  const groups = targets.concurrentIds.length;
  const items = count - groups * (perGroup - 1);
  const groupAt = new Map<number, string>();
  for (const subtaskId of targets.concurrentIds) {
    let at = rng.int(0, items - 1);
    while (groupAt.has(at)) at = (at + 1) % items;
    groupAt.set(at, subtaskId);
  }
  for (let index = 0; index < items; index++) {
    const subtaskId = groupAt.get(index);
    if (subtaskId !== undefined) {
      yield concurrentPuts(subtaskId, perGroup);
      continue;
    }
    const { category, generate } = rng.weighted(WEIGHTED);
    yield { category, ...generate(rng, targets) };
  }
}

/** The same requests all at once (some bodies are megabytes: prefer {@link eachMalformedRequest}). */
export function malformedRequests(
  rng: SeededRandom,
  targets: FuzzTargets,
  count: number,
  perGroup: number,
): FuzzItem[] {
  return [...eachMalformedRequest(rng, targets, count, perGroup)];
}

function concurrentPuts(subtaskId: string, perGroup: number): ConcurrentPuts {
  return {
    category: 'concurrent PUTs',
    subtaskId,
    requests: Array.from({ length: perGroup }, (_, i) => ({
      category: 'concurrent PUTs',
      method: 'PUT',
      path: `/subtasks/${subtaskId}/result${i % 3 === 0 ? '?wait=true' : ''}`,
      headers: JSON_TYPE,
      body: json({ isWorkerComplete: i % 2 === 0 }),
    })),
  };
}
