import { Logger, type ArgumentsHost } from '@nestjs/common';
import {
  KafkaContext,
  KafkaHeaders,
  KafkaRetriableException,
} from '@nestjs/microservices';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import {
  SubtaskResultUploaded,
  UploadSubtaskResult,
} from '@subtasks/contracts';
import { firstValueFrom } from 'rxjs';
import { MessagingError } from '../errors/messaging-error';
import {
  UndecodableMessage,
  UndecodableMessageError,
} from '../kafka/contract-codecs';
import { ContractPayloadPipe } from './handler-decorators';
import {
  UndecodableCommandFilter,
  UndecodableEventFilter,
} from './undecodable-message.filters';

beforeAll(() => Logger.overrideLogger(false));

function undecodable(): UndecodableMessage {
  return new UndecodableMessage(
    new MessagingError(
      'NO_MAGIC_BYTE',
      'Message on topic T is not in Confluent wire format',
      {
        topic: 'T',
      },
    ),
    'T',
    {
      topic: 'T',
      partition: 1,
      offset: '5',
      timestamp: undefined,
      key: 'k',
      value: Buffer.from('{}'),
      headers: {},
    },
  );
}

const command = new UploadSubtaskResult({
  subtaskId: 's',
  requestId: 'r',
  requestedAt: new Date(0),
});

describe('ContractPayloadPipe', () => {
  const pipe = new ContractPayloadPipe();

  it('passes an instance of the declared class through', () => {
    expect(
      pipe.transform(command, { type: 'body', metatype: UploadSubtaskResult }),
    ).toBe(command);
  });

  it('turns an UndecodableMessage into an UndecodableMessageError with its code and position', () => {
    const message = undecodable();

    let thrown: unknown;
    try {
      pipe.transform(message, { type: 'body', metatype: UploadSubtaskResult });
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(UndecodableMessageError);
    expect(thrown).toMatchObject({
      code: 'NO_MAGIC_BYTE',
      undecodable: message,
    });
    expect(String((thrown as Error).message)).toContain('T[1]@5');
  });

  it('refuses raw values and instances of another contract', () => {
    expect(() =>
      pipe.transform(
        { subtaskId: 's' },
        { type: 'body', metatype: UploadSubtaskResult },
      ),
    ).toThrow(expect.objectContaining({ code: 'NOT_A_CONTRACT' }));
    expect(() =>
      pipe.transform(command, {
        type: 'body',
        metatype: SubtaskResultUploaded,
      }),
    ).toThrow(/declared as SubtaskResultUploaded/);
  });
});

function kafkaHost(headers: Record<string, string>): ArgumentsHost {
  const context = new KafkaContext([
    {
      key: null,
      value: null,
      timestamp: '0',
      attributes: 0,
      offset: '5',
      headers,
    },
    1,
    'T',
    // The filters read only the message of the context.
    undefined as never,
    undefined as never,
    undefined as never,
  ]);
  const host = new ExecutionContextHost([undecodable(), context]);
  host.setType('rpc');
  return host;
}

describe('undecodable message filters', () => {
  it('event filter: runs the hook, then acknowledges (completes with undefined)', async () => {
    const seen: UndecodableMessage[] = [];
    const error = new UndecodableMessageError(undecodable());

    const result = await firstValueFrom(
      new UndecodableEventFilter((message) => {
        seen.push(message);
      }).catch(error),
    );

    expect(result).toBeUndefined();
    expect(seen).toEqual([error.undecodable]);
  });

  it('event filter without a hook still acknowledges', async () => {
    await expect(
      firstValueFrom(
        new UndecodableEventFilter().catch(
          new UndecodableMessageError(undecodable()),
        ),
      ),
    ).resolves.toBeUndefined();
  });

  it('a failing hook asks Kafka to redeliver (KafkaRetriableException)', async () => {
    const filter = new UndecodableEventFilter(() =>
      Promise.reject(new Error('dead-letter topic unavailable')),
    );

    await expect(
      firstValueFrom(filter.catch(new UndecodableMessageError(undecodable()))),
    ).rejects.toBeInstanceOf(KafkaRetriableException);
  });

  it('command filter: answers a caller waiting for a reply with the typed error', async () => {
    const host = kafkaHost({
      [KafkaHeaders.CORRELATION_ID]: 'c1',
      [KafkaHeaders.REPLY_TOPIC]: 'T.reply',
    });

    await expect(
      firstValueFrom(
        new UndecodableCommandFilter().catch(
          new UndecodableMessageError(undecodable()),
          host,
        ),
      ),
    ).rejects.toMatchObject({
      status: 'error',
      code: 'NO_MAGIC_BYTE',
      topic: 'T',
    });
  });

  it('command filter: acknowledges when nobody waits for a reply (emitted command)', async () => {
    await expect(
      firstValueFrom(
        new UndecodableCommandFilter().catch(
          new UndecodableMessageError(undecodable()),
          kafkaHost({}),
        ),
      ),
    ).resolves.toBeUndefined();
  });
});
