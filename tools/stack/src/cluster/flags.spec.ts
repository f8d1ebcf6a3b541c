import { parseStackArguments, UsageError } from './flags';

describe('parseStackArguments', () => {
  it('selects the default stack without flags', () => {
    expect(parseStackArguments(['up'])).toEqual({
      command: 'up',
      selection: { brokers: 1, secure: false },
      ports: {},
      yes: false,
    });
  });

  it('reads --brokers, --secure and the ports, as separate words or with =', () => {
    expect(
      parseStackArguments([
        'up',
        '--brokers',
        '3',
        '--secure',
        '--kafka-port=20000',
        '--registry-port',
        '21000',
      ]),
    ).toEqual({
      command: 'up',
      selection: { brokers: 3, secure: true },
      ports: { kafka: 20000, registry: 21000 },
      yes: false,
    });
    expect(parseStackArguments(['down', '--brokers=3']).selection).toEqual({
      brokers: 3,
      secure: false,
    });
  });

  it('takes --yes for reset', () => {
    expect(
      parseStackArguments(['reset', '--secure', '--brokers', '3', '--yes']).yes,
    ).toBe(true);
  });

  it.each([
    [[], /no command/],
    [['start'], /unknown command "start"/],
    [['up', '--brokers'], /--brokers needs a whole number/],
    [['up', '--brokers', 'three'], /got "three"/],
    [['up', '--brokers=-1'], /whole number/],
    [['up', '--secure=yes'], /unknown flag "--secure=yes"/],
    [['up', '--tls'], /unknown flag "--tls"/],
    [['up', '--yes'], /--yes is for reset only/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseStackArguments(argv)).toThrow(UsageError);
    expect(() => parseStackArguments(argv)).toThrow(message);
  });
});
