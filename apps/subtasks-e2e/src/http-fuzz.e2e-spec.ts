import {
  createMigratedDatabase,
  type TemporaryDatabase,
} from '@subtasks/subtasks-db/testing';
import { type AppProcess, startLoneApi } from './support/app-process';
import {
  type FuzzItem,
  type FuzzRequest,
  eachMalformedRequest,
} from './support/malformed-requests';
import {
  RawHttpClient,
  type RawRequest,
  type RawResponse,
} from './support/raw-http';
import { SeededRandom } from './support/seeded-random';

/*
 * Malformed input over every route of the built api (a real process, HTTP-only, no rate limit):
 * first the inputs a fuzzing run answered with 500, each by name, then a seeded run of 10,000
 * requests. Nothing may be answered 5xx while PostgreSQL and Kafka are up. FUZZ_SEED=<n> replays a
 * run (the ids of the subtasks it creates differ; which request goes where does not).
 */

const SEED = Number(process.env['FUZZ_SEED'] ?? 20_261_130);
const REQUESTS = 10_000;
const IN_FLIGHT = 24;
const EXISTING_SUBTASKS = 20;
const CONCURRENT_GROUPS = 20;
const PUTS_PER_GROUP = 20;

/** What a driver, broker or stack trace looks like; no answer may carry one. */
const LEAK =
  /prisma|DriverAdapter|invalid byte sequence|SQLSTATE|kafkajs|ECONNREFUSED|\n\s+at \S/i;

let database: TemporaryDatabase;
let api: AppProcess | undefined;
let http: RawHttpClient;

const JSON_TYPE: Readonly<Record<string, string>> = {
  'content-type': 'application/json',
};

function post(body: string | Buffer, headers = JSON_TYPE): RawRequest {
  return {
    method: 'POST',
    path: '/subtasks',
    headers,
    body: Buffer.from(body),
  };
}

function put(id: string, body: string, headers = JSON_TYPE): RawRequest {
  return {
    method: 'PUT',
    path: `/subtasks/${id}/result`,
    headers,
    body: Buffer.from(body),
  };
}

const nestedArrays = (depth: number) =>
  `${'['.repeat(depth)}1${']'.repeat(depth)}`;

async function create(title: string): Promise<string> {
  const answer = await http.send(post(JSON.stringify({ title })));
  if (answer.status !== 201)
    throw new Error(`POST /subtasks: ${answer.status} ${answer.text}`);
  return (JSON.parse(answer.text) as { id: string }).id;
}

beforeAll(async () => {
  database = await createMigratedDatabase('subtasks_e2e_fuzz');
  let port: number;
  ({ api, port } = await startLoneApi(database.url, { LOG_LEVEL: 'warn' }));
  http = new RawHttpClient(port);
});

afterAll(async () => {
  http?.close();
  await api?.stop();
  await database?.drop();
});

interface NamedCase {
  name: string;
  request: RawRequest;
  status: number;
  code?: string;
  fields?: string[];
}

const NAMED_CASES: NamedCase[] = [
  {
    name: 'NUL in the id of GET',
    request: { method: 'GET', path: '/subtasks/a%00b' },
    status: 400,
    code: 'INVALID_INPUT',
    fields: ['id'],
  },
  {
    name: 'NUL in the id of PUT',
    request: put('a%00b', '{}'),
    status: 400,
    code: 'INVALID_INPUT',
    fields: ['id'],
  },
  {
    name: 'an id of 101 characters',
    request: { method: 'GET', path: `/subtasks/${'a'.repeat(101)}` },
    status: 400,
    code: 'INVALID_INPUT',
    fields: ['id'],
  },
  {
    name: 'NUL in the title',
    request: post('{"title":"a\\u0000b"}'),
    status: 400,
    code: 'INVALID_INPUT',
    fields: ['title'],
  },
  {
    name: 'a lone surrogate in the title',
    request: post('{"title":"a\\ud800b"}'),
    status: 400,
    code: 'INVALID_INPUT',
    fields: ['title'],
  },
  {
    name: 'a title of 501 characters',
    request: post(JSON.stringify({ title: 't'.repeat(501) })),
    status: 400,
    code: 'INVALID_INPUT',
    fields: ['title'],
  },
  {
    name: 'JSON nested 50,000 deep',
    request: post(`{"title":${nestedArrays(50_000)}}`),
    status: 400,
    code: 'INVALID_INPUT',
    fields: ['title'],
  },
  {
    name: 'JSON nested 33 deep in a PUT',
    request: put('x', `{"isWorkerComplete":${nestedArrays(32)}}`),
    status: 400,
    code: 'INVALID_INPUT',
    fields: ['isWorkerComplete'],
  },
  {
    name: 'a body over the limit',
    request: post(JSON.stringify({ title: 'a'.repeat(200_000) })),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'text/plain',
    request: post('{"title":"x"}', { 'content-type': 'text/plain' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'application/xml on PUT',
    request: put('x', '<result/>', { 'content-type': 'application/xml' }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'a form',
    request: post('title=x', {
      'content-type': 'application/x-www-form-urlencoded',
    }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'charset=latin1',
    request: post('{"title":"x"}', {
      'content-type': 'application/json; charset=latin1',
    }),
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'gzip content-encoding with garbage',
    request: post('garbage', { ...JSON_TYPE, 'content-encoding': 'gzip' }),
    status: 400,
    code: 'INVALID_INPUT',
  },
  {
    name: 'bytes that are not UTF-8',
    request: post(
      Buffer.concat([
        Buffer.from('{"title":"a'),
        Buffer.from([0xc0, 0x80]),
        Buffer.from('b"}'),
      ]),
    ),
    status: 400,
    code: 'INVALID_INPUT',
    fields: [],
  },
  {
    name: 'malformed JSON',
    request: post('{"title":'),
    status: 400,
    code: 'INVALID_INPUT',
  },
  ...['[]', '"x"', '42', 'null'].map((body) => ({
    name: `the body ${body}`,
    request: post(body),
    status: 400,
    code: 'INVALID_INPUT',
  })),
  {
    name: 'an unknown field',
    request: post('{"title":"x","extra":1}'),
    status: 400,
    code: 'INVALID_INPUT',
    fields: ['extra'],
  },
  {
    name: 'a __proto__ field',
    request: post('{"title":"x","__proto__":{"polluted":true}}'),
    status: 400,
    code: 'INVALID_INPUT',
    fields: ['__proto__'],
  },
];

describe('inputs a fuzzing run answered with 500, and their kin', () => {
  it.each(NAMED_CASES)(
    '$name: $status $code',
    async ({ request, status, code, fields }) => {
      const answer = await http.send(request);
      expect([answer.status, answer.text.slice(0, 300)]).toEqual([
        status,
        expect.any(String),
      ]);
      const body = JSON.parse(answer.text) as Record<string, unknown>;
      expect(body).toMatchObject({ statusCode: status, code });
      if (code === 'INVALID_INPUT') {
        // The shape of every validation error: messages and the fields they name.
        expect(body).toEqual({
          statusCode: 400,
          code,
          message: expect.arrayContaining([expect.any(String)]),
          fields: fields ?? expect.any(Array),
        });
      }
      expect(answer.text).not.toMatch(LEAK);
    },
  );
});

interface Answer {
  readonly item: FuzzRequest;
  readonly response: RawResponse;
}

function summary({ item, response }: Answer): string {
  const said = response.error ?? response.text.slice(0, 200);
  return `[${item.category}] ${item.method} ${item.path.slice(0, 100)} → ${response.status} ${said}`;
}

function table(answers: readonly Answer[]): string {
  const statuses = [...new Set(answers.map((a) => a.response.status))].sort(
    (a, b) => a - b,
  );
  const categories = [...new Set(answers.map((a) => a.item.category))].sort();
  const width = Math.max(...categories.map((c) => c.length), 'category'.length);
  const row = (label: string, cells: (string | number)[]) =>
    `${label.padEnd(width)} ${cells.map((c) => String(c).padStart(6)).join(' ')}`;
  const count = (category: string | undefined, status: number) =>
    answers.filter(
      (a) =>
        a.response.status === status &&
        (category === undefined || a.item.category === category),
    ).length;
  return [
    row('category', [...statuses, 'total']),
    ...categories.map((category) =>
      row(category, [
        ...statuses.map((status) => count(category, status) || '.'),
        answers.filter((a) => a.item.category === category).length,
      ]),
    ),
    row('all', [
      ...statuses.map((status) => count(undefined, status)),
      answers.length,
    ]),
  ].join('\n');
}

describe('a seeded fuzz run', () => {
  it(`answers ${REQUESTS} malformed requests over every route without a 5xx, and serves normally afterwards`, async () => {
    const existingIds = await Promise.all(
      Array.from({ length: EXISTING_SUBTASKS }, (_, i) =>
        create(`target ${i}`),
      ),
    );
    const concurrentIds = await Promise.all(
      Array.from({ length: CONCURRENT_GROUPS }, (_, i) =>
        create(`concurrent ${i}`),
      ),
    );
    const items = eachMalformedRequest(
      new SeededRandom(SEED),
      { existingIds, concurrentIds },
      REQUESTS,
      PUTS_PER_GROUP,
    );

    const answers: Answer[] = [];
    const groups: Answer[][] = [];
    const began = Date.now();
    const worker = async (): Promise<void> => {
      for (let next = items.next(); !next.done; next = items.next()) {
        const item: FuzzItem = next.value;
        if ('requests' in item) {
          const group = await Promise.all(
            item.requests.map(async (request) => ({
              item: request,
              response: await http.send(request),
            })),
          );
          groups.push(group);
          answers.push(...group);
        } else {
          answers.push({ item, response: await http.send(item) });
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const seconds = (Date.now() - began) / 1000;

    console.log(
      `fuzz seed ${SEED}: ${answers.length} requests in ${seconds.toFixed(1)} s, ${IN_FLIGHT} in flight\n${table(answers)}`,
    );

    expect(answers).toHaveLength(REQUESTS);
    const failed = answers.filter(
      (a) => a.response.status === 0 || a.response.status >= 500,
    );
    expect(failed.map(summary)).toEqual([]);
    expect(
      answers.filter((a) => LEAK.test(a.response.text)).map(summary),
    ).toEqual([]);
    // Of concurrent PUTs on one idle subtask, one starts the upload and the others see it in flight
    // (a worker elsewhere on the stack may answer quickly and let a late one start another).
    for (const group of groups) {
      const statuses = group.map((a) => a.response.status);
      expect(
        statuses.filter((s) => s === 202 || s === 200).length,
      ).toBeGreaterThanOrEqual(1);
      expect(statuses.filter((s) => ![200, 202, 409].includes(s))).toEqual([]);
    }

    expect((await http.send({ method: 'GET', path: '/health' })).status).toBe(
      200,
    );
    const id = await create('after the fuzz run');
    const upload = await http.send(put(id, '{"isWorkerComplete":true}'));
    expect([upload.status, upload.text]).toEqual([
      202,
      expect.stringMatching(/^\{"requestId":"[0-9a-f-]{36}"\}$/),
    ]);
    const view = await http.send({ method: 'GET', path: `/subtasks/${id}` });
    expect(view.status).toBe(200);
    expect(JSON.parse(view.text)).toMatchObject({
      id,
      title: 'after the fuzz run',
    });
  }, 120_000);
});
