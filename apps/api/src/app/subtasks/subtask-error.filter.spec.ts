import { Controller, Get, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { type HttpTestApp, startHttpTestApp } from '../testing/http-test-app';
import { SubtaskErrorFilter } from './subtask-error.filter';
import {
  SubtaskNotFoundError,
  UploadInFlightError,
  UploadNotPublishedError,
} from './subtask.errors';

const BROKER_REASON =
  'KafkaJSNumberOfRetriesExceeded: connect ECONNREFUSED 10.1.2.3:9094 (broker kafka-7.internal)';

@Controller('subtasks')
class FailingController {
  @Get('missing')
  missing(): never {
    throw new SubtaskNotFoundError('missing');
  }

  @Get('busy')
  busy(): never {
    throw new UploadInFlightError('busy', 'request-in-flight');
  }

  @Get('unpublished')
  unpublished(): never {
    throw new UploadNotPublishedError('s-1', 'request-1', BROKER_REASON);
  }
}

@Module({
  controllers: [FailingController],
  providers: [{ provide: APP_FILTER, useClass: SubtaskErrorFilter }],
})
class FailingModule {}

let served: HttpTestApp;

beforeAll(async () => {
  served = await startHttpTestApp({ imports: [FailingModule] });
});

afterAll(() => served?.close());

async function get(path: string) {
  const response = await fetch(`${served.baseUrl}${path}`);
  return {
    status: response.status,
    headers: response.headers,
    text: await response.text(),
  };
}

describe('SubtaskErrorFilter', () => {
  it('answers 404 SUBTASK_NOT_FOUND and 409 UPLOAD_IN_FLIGHT with the request in flight', async () => {
    const missing = await get('/subtasks/missing');
    expect([missing.status, JSON.parse(missing.text)]).toEqual([
      404,
      {
        statusCode: 404,
        code: 'SUBTASK_NOT_FOUND',
        message: 'subtask missing does not exist',
      },
    ]);
    const busy = await get('/subtasks/busy');
    expect([busy.status, JSON.parse(busy.text)]).toEqual([
      409,
      expect.objectContaining({
        code: 'UPLOAD_IN_FLIGHT',
        requestId: 'request-in-flight',
      }),
    ]);
  });

  it("answers 503 UPLOAD_NOT_PUBLISHED with Retry-After and a generic message; the broker's reason goes to the log only", async () => {
    const answer = await get('/subtasks/unpublished');
    expect(answer.status).toBe(503);
    for (const leak of ['Kafka', 'ECONNREFUSED', '10.1.2.3', 'kafka-7']) {
      expect(answer.text).not.toContain(leak);
    }
    expect(JSON.parse(answer.text)).toEqual({
      statusCode: 503,
      code: 'UPLOAD_NOT_PUBLISHED',
      message: expect.stringMatching(/could not be published.*retry/i),
      requestId: 'request-1',
    });
    expect(answer.headers.get('retry-after')).toBe('5');

    const line = served.logs.find((entry) => entry['reason'] === BROKER_REASON);
    expect(line).toMatchObject({
      subtaskId: 's-1',
      msg: expect.stringContaining('upload command not published'),
      req: { id: answer.headers.get('x-request-id') },
    });
  });
});
