import pino from 'pino';
import type { Options } from 'pino-http';
import { loggerParams, withCarriedRequestIdInLogs } from './logging';

/** A logger with the apps' settings (as LoggerModule makes it), and the lines it writes. */
function capturedLogger(): { logger: pino.Logger; lines: object[] } {
  const lines: object[] = [];
  const { pinoHttp } = loggerParams('subtask-worker', 'info', [], 'json');
  const options = (Array.isArray(pinoHttp) ? pinoHttp[0] : pinoHttp) as Options;
  const logger = pino(options, {
    write: (line: string) => void lines.push(JSON.parse(line) as object),
  });
  return { logger, lines };
}

describe('withCarriedRequestIdInLogs', () => {
  it('puts the request id the message carried on every line written while it is handled', async () => {
    const { logger, lines } = capturedLogger();

    const result = await withCarriedRequestIdInLogs(
      { 'x-request-id': 'req-7' },
      async () => {
        logger.info({ subtaskId: 's-1' }, 'upload handled');
        await Promise.resolve();
        logger.child({ context: 'MessageFailures' }).warn('after an await');
        return 'reply';
      },
    );
    logger.info('outside');

    expect(result).toBe('reply');
    expect(lines).toEqual([
      expect.objectContaining({ requestId: 'req-7', msg: 'upload handled' }),
      expect.objectContaining({ requestId: 'req-7', msg: 'after an await' }),
      expect.not.objectContaining({ requestId: expect.anything() }),
    ]);
  });

  it("keeps a line's own request id, once", async () => {
    const { logger, lines } = capturedLogger();
    const raw: string[] = [];
    const plain = pino(
      loggerParams('api', 'info', [], 'json').pinoHttp as Options,
      { write: (line: string) => void raw.push(line) },
    );

    await withCarriedRequestIdInLogs({ 'x-request-id': 'req-7' }, async () => {
      logger.info({ requestId: 'req-8' }, 'its own');
      plain.info({ requestId: 'req-8' }, 'its own');
    });

    expect(lines).toEqual([expect.objectContaining({ requestId: 'req-8' })]);
    expect(raw[0]?.match(/"requestId"/g)).toHaveLength(1);
  });

  it('binds nothing to a message without a request id', async () => {
    const { logger, lines } = capturedLogger();

    await withCarriedRequestIdInLogs({}, async () => logger.info('no id'));

    expect(lines).toEqual([
      expect.not.objectContaining({ requestId: expect.anything() }),
    ]);
  });
});
