import { z } from 'zod';
import { ENVIRONMENT_DEFAULTS } from './defaults';
import {
  flag,
  InvalidEnvironmentError,
  parseEnvironment,
  port,
} from './environment';
import { sharedEnvironment } from './shared-environment';

describe('parseEnvironment', () => {
  it('gives every setting its local-stack default', () => {
    const env = parseEnvironment(sharedEnvironment, {});
    expect(env.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(env.SCHEMA_REGISTRY_URL).toBe(
      ENVIRONMENT_DEFAULTS.SCHEMA_REGISTRY_URL,
    );
    expect(env.DATABASE_URL).toBe(ENVIRONMENT_DEFAULTS.DATABASE_URL);
    expect(env.NODE_ENV).toBe('development');
  });

  it('reads overrides and splits the broker list', () => {
    const env = parseEnvironment(sharedEnvironment, {
      KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092',
      SCHEMA_REGISTRY_URL: 'http://registry:8081/apis/ccompat/v7/',
    });
    expect(env.KAFKA_BROKERS).toEqual(['kafka-1:9092', 'kafka-2:9092']);
    expect(env.SCHEMA_REGISTRY_URL).toBe(
      'http://registry:8081/apis/ccompat/v7',
    );
  });

  it('treats an empty variable as unset', () => {
    expect(
      parseEnvironment(sharedEnvironment, { KAFKA_BROKERS: '' }).KAFKA_BROKERS,
    ).toEqual(['127.0.0.1:9092']);
  });

  it.each([
    ['KAFKA_BROKERS', 'localhost'],
    ['SCHEMA_REGISTRY_URL', 'ftp://registry'],
    ['DATABASE_URL', 'mysql://root@localhost/x'],
    ['LOG_LEVEL', 'loud'],
    ['KAFKA_REQUEST_TIMEOUT_MS', '-5'],
  ])('names the bad variable %s and its value', (name, value) => {
    expect(() =>
      parseEnvironment(sharedEnvironment, { [name]: value }),
    ).toThrow(
      new RegExp(`${name}: .*\\(got "${value.replace(/[/.]/g, '\\$&')}"\\)`),
    );
  });

  it('reports every bad variable at once', () => {
    const schema = sharedEnvironment.extend({ PORT: port(3000) });
    try {
      parseEnvironment(schema, { PORT: '70000', KAFKA_BROKERS: 'x' });
      throw new Error('expected a validation error');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidEnvironmentError);
      const problems = (error as InvalidEnvironmentError).problems;
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
        'KAFKA_BROKERS',
        'PORT',
      ]);
    }
  });

  it('shows secrets as *** and URLs without their password', () => {
    try {
      parseEnvironment(sharedEnvironment, {
        DATABASE_URL: 'mysql://root:db-pass-never-shown@localhost/x',
        KAFKA_SASL_MECHANISM: 'kerberos',
        KAFKA_SASL_PASSWORD: 'sasl-pass-never-shown',
      });
      throw new Error('expected a validation error');
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('(got "mysql://root:***@localhost/x")');
      expect(message).not.toContain('never-shown');
    }
  });

  it('reads true/false flags and names a bad one', () => {
    const schema = z.object({ ON: flag(true) });
    expect(parseEnvironment(schema, {}).ON).toBe(true);
    expect(parseEnvironment(schema, { ON: 'false' }).ON).toBe(false);
    expect(() => parseEnvironment(schema, { ON: 'yes' })).toThrow(
      /ON: must be true or false \(got "yes"\)/,
    );
  });

  it('applies port defaults and coerces strings', () => {
    const schema = z.object({ PORT: port(3000) });
    expect(parseEnvironment(schema, {}).PORT).toBe(3000);
    expect(parseEnvironment(schema, { PORT: '4000' }).PORT).toBe(4000);
  });
});
