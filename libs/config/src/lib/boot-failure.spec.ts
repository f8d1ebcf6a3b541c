import { bootFailureText } from './boot-failure';
import { InvalidEnvironmentError } from './environment';
import { loggerParams } from './logging';

const env = {
  KAFKA_SASL_PASSWORD: 'sasl-pass-never-shown',
  DATABASE_URL: 'postgresql://app:db-pass-never-shown@db/subtasks',
};

describe('bootFailureText', () => {
  it('shows a configuration error as its list of problems', () => {
    expect(
      bootFailureText(new InvalidEnvironmentError(['PORT: bad']), env),
    ).toBe('Invalid configuration:\n  - PORT: bad');
  });

  it('shows an explained failure (one with a code) without its stack', () => {
    const error = Object.assign(new Error('Kafka refused: check X'), {
      name: 'MessagingError',
      code: 'KAFKA_REFUSED',
    });
    expect(bootFailureText(error, env)).toBe(
      'MessagingError: Kafka refused: check X',
    );
  });

  it('scrubs every secret of the environment, whatever quoted it', () => {
    const text = bootFailureText(
      new Error(
        'connect to postgresql://app:db-pass-never-shown@db failed; sasl sasl-pass-never-shown',
      ),
      env,
    );
    expect(text).not.toContain('never-shown');
    expect(text).toContain('postgresql://app:***@db failed; sasl ***');
  });
});

describe('loggerParams', () => {
  it('scrubs the given secrets from every line, and redacts Authorization headers', () => {
    const params = loggerParams('api', 'info', ['sasl-pass-never-shown']);
    const options = params.pinoHttp as {
      hooks?: { streamWrite?: (line: string) => string };
      redact?: { paths: string[] };
    };
    expect(
      options.hooks?.streamWrite?.('{"msg":"sasl-pass-never-shown"}'),
    ).toBe('{"msg":"***"}');
    expect(options.redact?.paths).toContain('req.headers.authorization');
  });
});
