import type { KafkaConnection } from '@subtasks/config';
import { type LogEntry, logLevel } from 'kafkajs';
import { Writable } from 'node:stream';
import type { ConnectionOptions } from 'node:tls';
import pino from 'pino';
import {
  kafkaClientConfig,
  type StructuredLogger,
  structuredKafkaLogs,
} from './kafka-client';

const secured: KafkaConnection = {
  brokers: ['k1:9094', 'k2:9094'],
  tls: {
    ca: 'CA PEM',
    caFile: '/etc/ca.pem',
    cert: 'CERT PEM',
    key: 'KEY PEM',
    keyPassword: 'key-pass',
    checkServerName: false,
  },
  sasl: { mechanism: 'scram-sha-512', username: 'app', password: 'secret' },
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 10_000,
};

describe('kafkaClientConfig', () => {
  it('carries brokers, TLS, SASL and timeouts into the kafkajs settings', () => {
    const config = kafkaClientConfig(secured, { clientId: 'subtask' });
    expect(config).toMatchObject({
      clientId: 'subtask',
      brokers: ['k1:9094', 'k2:9094'],
      connectionTimeout: 3_000,
      requestTimeout: 10_000,
      sasl: { mechanism: 'scram-sha-512', username: 'app', password: 'secret' },
      ssl: {
        rejectUnauthorized: true,
        ca: ['CA PEM'],
        cert: 'CERT PEM',
        key: 'KEY PEM',
        passphrase: 'key-pass',
      },
    });
  });

  it('skips only the name check when asked, never the chain', () => {
    const ssl = kafkaClientConfig(secured, { clientId: 'x' })
      .ssl as ConnectionOptions;
    expect(ssl.rejectUnauthorized).toBe(true);
    expect(ssl.checkServerIdentity?.('k1', {} as never)).toBeUndefined();
    const checked = kafkaClientConfig(
      { ...secured, tls: { checkServerName: true } },
      { clientId: 'x' },
    ).ssl as ConnectionOptions;
    expect(checked.checkServerIdentity).toBeUndefined();
  });

  it('gives every client its own SASL object (kafkajs binds its authenticator to it)', () => {
    const first = kafkaClientConfig(secured, { clientId: 'a' });
    const second = kafkaClientConfig(secured, { clientId: 'a' });
    expect(first.sasl).toEqual(second.sasl);
    expect(first.sasl).not.toBe(second.sasl);
    expect(first.brokers).not.toBe(second.brokers);
  });

  it('names clients by purpose, and lets KAFKA_CLIENT_ID replace the catalogue id', () => {
    expect(
      kafkaClientConfig(secured, { clientId: 'subtask', purpose: 'health' })
        .clientId,
    ).toBe('subtask-health');
    expect(
      kafkaClientConfig(
        { ...secured, clientId: 'team-a' },
        { clientId: 'subtask', purpose: 'health' },
      ).clientId,
    ).toBe('team-a-health');
  });

  it('is plaintext without TLS or SASL, and probes may shorten the timeouts', () => {
    const config = kafkaClientConfig(
      {
        brokers: ['k:9092'],
        connectionTimeoutMs: 3_000,
        requestTimeoutMs: 10_000,
      },
      { clientId: 'x', timeoutMs: 1_000 },
    );
    expect(config.ssl).toBeUndefined();
    expect(config.sasl).toBeUndefined();
    expect([config.connectionTimeout, config.requestTimeout]).toEqual([
      1_000, 1_000,
    ]);
  });
});

describe("kafkajs's log lines", () => {
  const entry = (level: logLevel, label: string): LogEntry => ({
    namespace: 'Runner',
    level,
    label,
    log: {
      timestamp: '2026-11-30T10:00:00.000Z',
      logger: 'kafkajs',
      message: 'The group is rebalancing, re-joining',
      groupId: 'subtask-consumer',
      memberId: 'subtask-1',
      broker: '127.0.0.1:9092',
      error: 'The group is rebalancing, so a rejoin is needed',
      retryCount: 0,
      retryTime: 312,
    },
  });

  it('become structured fields of the service logger, not JSON text in the message', () => {
    const lines: string[] = [];
    const logger = pino(
      { base: { service: 'subtask-worker' } },
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    structuredKafkaLogs(() => logger)(logLevel.INFO)(
      entry(logLevel.ERROR, 'ERROR'),
    );

    const line = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 50,
      service: 'subtask-worker',
      logger: 'kafkajs',
      namespace: 'Runner',
      msg: 'The group is rebalancing, re-joining',
      groupId: 'subtask-consumer',
      memberId: 'subtask-1',
      broker: '127.0.0.1:9092',
      error: 'The group is rebalancing, so a rejoin is needed',
      retryCount: 0,
      retryTime: 312,
    });
    expect(line).not.toHaveProperty('timestamp');
  });

  it.each([
    [logLevel.ERROR, 'ERROR', 'error'],
    [logLevel.WARN, 'WARN', 'warn'],
    [logLevel.INFO, 'INFO', 'info'],
    [logLevel.DEBUG, 'DEBUG', 'debug'],
  ] as const)('keep their level: %s (%s) → %s', (level, label, method) => {
    const calls: string[] = [];
    const record =
      (name: string) =>
      (_fields: object, _message: string): void => {
        calls.push(name);
      };
    const logger: StructuredLogger = {
      error: record('error'),
      warn: record('warn'),
      info: record('info'),
      debug: record('debug'),
    };
    structuredKafkaLogs(() => logger)(logLevel.DEBUG)(entry(level, label));
    expect(calls).toEqual([method]);
  });

  it("stay kafkajs's console lines where no service logger exists (tools, tests)", () => {
    const warn = jest
      .spyOn(console, 'warn')
      .mockImplementation(() => undefined);
    try {
      structuredKafkaLogs(() => undefined)(logLevel.INFO)(
        entry(logLevel.WARN, 'WARN'),
      );
      expect(JSON.parse(warn.mock.calls[0][0] as string)).toMatchObject({
        level: 'WARN',
        logger: 'kafkajs',
        message: '[Runner] The group is rebalancing, re-joining',
        groupId: 'subtask-consumer',
      });
    } finally {
      warn.mockRestore();
    }
  });

  it("are routed so by every client config (replacing Nest's KafkaLogger), unless a creator is given", () => {
    const connection = { ...secured, tls: undefined, sasl: undefined };
    expect(
      typeof kafkaClientConfig(connection, { clientId: 'x' }).logCreator,
    ).toBe('function');
    const own = () => () => undefined;
    expect(
      kafkaClientConfig(connection, { clientId: 'x', logCreator: own })
        .logCreator,
    ).toBe(own);
  });
});
