import { ServerKafka } from '@nestjs/microservices';
import { ContractServerKafka } from './contract-server';

describe('ContractServerKafka', () => {
  it('overrides the method Nest sends replies with (fails if an upgrade renames it)', () => {
    expect(typeof Reflect.get(ServerKafka.prototype, 'sendMessage')).toBe(
      'function',
    );
    expect(
      Object.prototype.hasOwnProperty.call(
        ContractServerKafka.prototype,
        'sendMessage',
      ),
    ).toBe(true);
  });

  it('logs a reply that cannot be sent instead of rejecting', async () => {
    const server = new ContractServerKafka({ client: { brokers: ['x:1'] } });
    const failingProducer = {
      send: () => Promise.reject(new Error('broker away')),
    };
    Object.assign(server, {
      producer: failingProducer,
      serializer: {
        serialize: async () => ({ key: null, value: null, headers: {} }),
      },
    });
    await expect(
      server.sendMessage(
        { id: 'c-1', response: undefined },
        'T.reply',
        '0',
        'c-1',
        {} as never,
      ),
    ).resolves.toEqual([]);
  });
});
