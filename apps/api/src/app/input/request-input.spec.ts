import { gzipSync } from 'node:zlib';
import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { SubtaskRecord } from '@subtasks/subtasks-db';
import { HttpErrorsModule } from '../http-errors/http-errors.module';
import { SubtaskErrorFilter } from '../subtasks/subtask-error.filter';
import { SubtaskNotFoundError } from '../subtasks/subtask.errors';
import { SubtasksController } from '../subtasks/subtasks.controller';
import { SubtasksService } from '../subtasks/subtasks.service';
import { type HttpTestApp, startHttpTestApp } from '../testing/http-test-app';
import { configureRequestInput } from './configure-request-input';

/*
 * The real controller and DTOs behind the input pipeline as main.ts sets it up, over HTTP; the
 * service is a stand-in that records what reached it. Nothing malformed may reach it, and nothing
 * may be answered 5xx.
 */

const record = (id: string, title = 't'): SubtaskRecord => ({
  id,
  title,
  submitted: false,
  uploading: false,
  uploadRequestId: null,
  uploadStartedAt: null,
  lastOutcome: null,
  lastError: null,
  resultVersion: null,
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

const reached: unknown[] = [];
const service = {
  create: async (title: string) => {
    reached.push({ create: title });
    return record('new', title);
  },
  findByIdOrThrow: async (id: string) => {
    reached.push({ find: id });
    if (id !== 'known') throw new SubtaskNotFoundError(id);
    return record(id);
  },
  queueUploadResult: async (params: unknown) => {
    reached.push({ upload: params });
    return { status: 'accepted', requestId: 'request-1' };
  },
};

@Module({
  controllers: [SubtasksController],
  providers: [
    { provide: SubtasksService, useValue: service },
    { provide: APP_FILTER, useClass: SubtaskErrorFilter },
  ],
})
class SubtasksLike {}

let served: HttpTestApp;

beforeAll(async () => {
  served = await startHttpTestApp(
    { imports: [HttpErrorsModule, SubtasksLike] },
    { bodyParser: false, configure: configureRequestInput },
  );
});

afterAll(() => served?.close());

beforeEach(() => {
  reached.length = 0;
});

interface Sent {
  method?: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
}

async function send(
  path: string,
  { method = 'GET', body, headers }: Sent = {},
) {
  const response = await fetch(`${served.baseUrl}${path}`, {
    method,
    headers,
    // The DOM's fetch types (jsdom's, in other specs) take a Uint8Array, not a Buffer.
    body: Buffer.isBuffer(body) ? new Uint8Array(body) : body,
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) };
}

const JSON_TYPE: Record<string, string> = {
  'content-type': 'application/json',
};
const post = (body: string | Buffer, headers = JSON_TYPE) =>
  send('/subtasks', { method: 'POST', body, headers });
const put = (id: string, body?: string, headers = JSON_TYPE) =>
  send(`/subtasks/${id}/result`, { method: 'PUT', body, headers });

const invalid = (fields: string[]) => ({
  statusCode: 400,
  code: 'INVALID_INPUT',
  message: [expect.any(String)],
  fields,
});

describe('text the database cannot store', () => {
  it.each([
    ['a NUL in the id of GET', 'GET', '/subtasks/a%00b'],
    ['a NUL in the id of PUT', 'PUT', '/subtasks/a%00b/result'],
    ['an id of 101 characters', 'GET', `/subtasks/${'i'.repeat(101)}`],
  ])('refuses %s: 400 naming id', async (_, method, path) => {
    const answer = await send(path, {
      method,
      body: method === 'PUT' ? '{}' : undefined,
      headers: JSON_TYPE,
    });
    expect([answer.status, answer.json()]).toEqual([400, invalid(['id'])]);
    expect(reached).toEqual([]);
  });

  it.each([
    ['a NUL', '{"title":"a\\u0000b"}', /NUL/],
    ['a lone surrogate', '{"title":"a\\ud800b"}', /unpaired UTF-16 surrogate/],
    ['501 characters', JSON.stringify({ title: 't'.repeat(501) }), /500/],
  ])('refuses a title with %s: 400 naming title', async (_, body, message) => {
    const answer = await post(body);
    expect([answer.status, answer.json()]).toEqual([400, invalid(['title'])]);
    expect(answer.json().message[0]).toMatch(message);
    expect(reached).toEqual([]);
  });

  it('serves ids and titles it can store, up to their limits', async () => {
    expect((await send(`/subtasks/known`)).status).toBe(200);
    expect((await send(`/subtasks/${'i'.repeat(100)}`)).status).toBe(404);
    const title = `café \ud83d\ude00 ${'t'.repeat(490)}`;
    expect((await post(JSON.stringify({ title }))).status).toBe(201);
    expect(reached).toContainEqual({ create: title });
  });
});

describe('the body', () => {
  it('refuses JSON nested 50,000 deep (under the size limit): 400 naming the field', async () => {
    const body = `{"title":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    expect(body.length).toBeLessThan(100 * 1024);
    const answer = await post(body);
    expect([answer.status, answer.json()]).toEqual([400, invalid(['title'])]);
    expect(answer.json().message).toEqual([
      'the body must be nested at most 32 levels deep',
    ]);
  });

  it('answers 413 PAYLOAD_TOO_LARGE over 100kb', async () => {
    const answer = await post(JSON.stringify({ title: 'a'.repeat(200_000) }));
    expect([answer.status, answer.json()]).toEqual([
      413,
      {
        statusCode: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: 'the body must be at most 100kb',
      },
    ]);
  });

  it.each([
    ['text/plain', 'POST'],
    ['application/xml', 'PUT'],
    ['application/x-www-form-urlencoded', 'POST'],
    ['multipart/form-data; boundary=x', 'PUT'],
    ['application/json; charset=latin1', 'POST'],
  ])('answers 415 UNSUPPORTED_MEDIA_TYPE to %s on %s', async (type, method) => {
    const path = method === 'POST' ? '/subtasks' : '/subtasks/known/result';
    const answer = await send(path, {
      method,
      body: '{"title":"x"}',
      headers: { 'content-type': type },
    });
    expect([answer.status, answer.json()]).toEqual([
      415,
      {
        statusCode: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: expect.any(String),
      },
    ]);
    expect(reached).toEqual([]);
  });

  it('answers 415 to a body without a content type, and to an unknown content encoding', async () => {
    const untyped = await send('/subtasks', {
      method: 'POST',
      body: Buffer.from('{"title":"x"}'),
    });
    expect(untyped.status).toBe(415);
    const compressed = await post('{"title":"x"}', {
      ...JSON_TYPE,
      'content-encoding': 'compress',
    });
    expect(compressed.json()).toMatchObject({
      statusCode: 415,
      message: 'Content-Encoding must be gzip, deflate, br or identity',
    });
  });

  it.each([
    ['malformed JSON', '{"title":', 'the body is not valid JSON'],
    ['an array', '[]', 'the body must be a JSON object'],
    ['a string', '"x"', 'the body must be a JSON object'],
    ['a number', '42', 'the body must be a JSON object'],
    ['null', 'null', 'the body must be a JSON object'],
  ])('refuses %s: 400, without quoting it', async (_, body, message) => {
    const answer = await post(body);
    expect([answer.status, answer.json()]).toEqual([
      400,
      {
        statusCode: 400,
        code: 'INVALID_INPUT',
        message: [message],
        fields: [],
      },
    ]);
  });

  it.each([
    ['a lone byte 0xff', [0xff]],
    ['an overlong NUL', [0xc0, 0x80]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
  ])('refuses bytes that are not UTF-8 (%s): 400', async (_, bytes) => {
    const body = Buffer.concat([
      Buffer.from('{"title":"a'),
      Buffer.from(bytes),
      Buffer.from('b"}'),
    ]);
    const answer = await post(body);
    expect([answer.status, answer.json()]).toEqual([
      400,
      {
        statusCode: 400,
        code: 'INVALID_INPUT',
        message: ['the body must be valid UTF-8'],
        fields: [],
      },
    ]);
    expect(reached).toEqual([]);
  });

  it('refuses gzip that is not gzip: 400, without zlib\u2019s words', async () => {
    const answer = await post('garbage', {
      ...JSON_TYPE,
      'content-encoding': 'gzip',
    });
    expect(answer.status).toBe(400);
    expect(answer.json()).toMatchObject({ code: 'INVALID_INPUT' });
    expect(answer.text).not.toContain('header check');
  });

  it('reads gzip, and JSON types with a suffix', async () => {
    const zipped = await post(gzipSync('{"title":"zipped"}'), {
      ...JSON_TYPE,
      'content-encoding': 'gzip',
    });
    expect(zipped.status).toBe(201);
    const suffixed = await post('{"title":"suffixed"}', {
      'content-type': 'application/vnd.subtask+json; charset=utf-8',
    });
    expect(suffixed.status).toBe(201);
  });

  it.each([
    ['an unknown field', '{"title":"x","extra":1}', 'extra'],
    ['a __proto__ field', '{"title":"x","__proto__":{"a":1}}', '__proto__'],
    ['a constructor field', '{"title":"x","constructor":{}}', 'constructor'],
  ])('refuses %s: 400 naming it', async (_, body, field) => {
    const answer = await post(body);
    expect([answer.status, answer.json()]).toEqual([400, invalid([field])]);
    expect(reached).toEqual([]);
  });

  it('takes a PUT without a body, or with an empty JSON one, as {}', async () => {
    expect((await put('known', undefined, {})).status).toBe(202);
    expect(
      (await put('known', '', { ...JSON_TYPE, 'content-length': '0' })).status,
    ).toBe(202);
    expect(reached).toEqual([
      { upload: expect.objectContaining({ subtaskId: 'known' }) },
      { upload: expect.objectContaining({ subtaskId: 'known' }) },
    ]);
  });
});
