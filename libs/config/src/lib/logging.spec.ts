import { Writable } from 'node:stream';
import pino from 'pino';
import {
  LogFormatError,
  logFormatOf,
  loggerParams,
  prettyStream,
  serviceLogger,
} from './logging';

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return {
    stream: new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    }),
    text: () => chunks.join(''),
  };
}

describe('logFormatOf (LOG_FORMAT)', () => {
  it('is JSON unless asked for pretty', () => {
    expect(logFormatOf({})).toBe('json');
    expect(logFormatOf({ LOG_FORMAT: 'json' })).toBe('json');
    expect(logFormatOf({ LOG_FORMAT: ' pretty ' })).toBe('pretty');
  });

  it('names the variable for any other value', () => {
    expect(() => logFormatOf({ LOG_FORMAT: 'yaml' })).toThrow(LogFormatError);
    expect(() => logFormatOf({ LOG_FORMAT: 'yaml' })).toThrow(
      'LOG_FORMAT must be json or pretty (got "yaml")',
    );
  });
});

describe('loggerParams', () => {
  it('gives pino-http its options alone for JSON (stdout), with a pretty stream for pretty', () => {
    const json = loggerParams('api', 'info', [], 'json');
    expect(json.pinoHttp).toMatchObject({
      level: 'info',
      base: { service: 'api' },
    });

    const pretty = loggerParams('api', 'debug', [], 'pretty');
    expect(Array.isArray(pretty.pinoHttp)).toBe(true);
    const [options, stream] = pretty.pinoHttp as [
      object,
      NodeJS.WritableStream,
    ];
    expect(options).toMatchObject({ level: 'debug', base: { service: 'api' } });
    expect(typeof stream.write).toBe('function');
  });
});

describe('prettyStream', () => {
  it('prints one readable line per entry: service, message, request, then the other fields', async () => {
    const out = collector();
    const logger = pino(
      { base: { service: 'api' } },
      prettyStream({ colorize: false, destination: out.stream }),
    );

    logger.info(
      {
        req: { method: 'PUT', url: '/subtasks/s-1/result' },
        res: { statusCode: 202 },
        requestId: 'r-1',
      },
      'request completed',
    );
    logger.warn(
      {
        logger: 'kafkajs',
        namespace: 'Connection',
        broker: '127.0.0.1:9092',
        error: 'Connection timeout',
      },
      'Connection error',
    );
    await new Promise((resolve) => setImmediate(resolve));

    const lines = out.text().trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: api request completed PUT \/subtasks\/s-1\/result -> 202 \{"requestId":"r-1"\}$/,
    );
    expect(lines[1]).toMatch(
      /WARN: api Connection error \{"logger":"kafkajs","namespace":"Connection","broker":"127\.0\.0\.1:9092","error":"Connection timeout"\}$/,
    );
  });
});

describe('serviceLogger', () => {
  it('is undefined in a process that configured no logging (tools, tests)', () => {
    jest.isolateModules(() => {
      const isolated =
        jest.requireActual<typeof import('./logging')>('./logging');
      expect(isolated.serviceLogger()).toBeUndefined();
    });
  });

  it("has the service's settings before Nest has made its logger", () => {
    loggerParams('subtask-worker', 'warn', [], 'json');

    const logger = serviceLogger();
    expect(logger?.level).toBe('warn');
    expect(logger?.bindings()).toEqual({ service: 'subtask-worker' });
    expect(serviceLogger()).toBe(logger);
  });
});
