import * as kafkajs from 'kafkajs';
import { MessagingError } from '../errors/messaging-error';
import { publishFailure } from './publish-outcome';

type Constructor<A extends unknown[]> = new (...args: A) => Error;
const ProtocolError = kafkajs.KafkaJSProtocolError as unknown as Constructor<
  [{ message: string; type: string; code: number; retriable: boolean }]
>;
const RetriesExceeded =
  kafkajs.KafkaJSNumberOfRetriesExceeded as unknown as Constructor<
    [Error, { retryCount: number; retryTime: number }]
  >;

describe('publishFailure', () => {
  it.each<[string, unknown, string]>([
    [
      'a record that could not be encoded',
      new MessagingError('VALIDATION_FAILED', 'requestedAt is not a date'),
      'PUBLISH_REFUSED',
    ],
    [
      'a record the broker refuses outright',
      new ProtocolError({
        message: 'too large',
        type: 'MESSAGE_TOO_LARGE',
        code: 10,
        retriable: false,
      }),
      'PUBLISH_REFUSED',
    ],
    [
      'the reply timeout firing before the acknowledgement',
      new MessagingError('REPLY_TIMEOUT', 'no reply within 100 ms'),
      'PUBLISH_UNCONFIRMED',
    ],
    [
      'retries spent on timeouts (an early attempt may have been written)',
      new RetriesExceeded(new Error('Request Produce(key: 0) timed out'), {
        retryCount: 5,
        retryTime: 1000,
      }),
      'PUBLISH_UNCONFIRMED',
    ],
    [
      'a lost connection',
      new Error('Connection closed'),
      'PUBLISH_UNCONFIRMED',
    ],
  ])('%s → %s', (_, error, code) => {
    const failure = publishFailure(error, 'T');
    expect(failure.code).toBe(code);
    expect(failure.cause).toBe(error);
  });
});
