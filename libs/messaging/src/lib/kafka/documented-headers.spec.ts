import { KafkaHeaders } from '@nestjs/microservices';
import { REQUEST_ID_HEADER } from '@subtasks/config';
import { CONTRACT_CLASSES } from '@subtasks/contracts';
import { ASYNCAPI_DOCUMENT } from '@subtasks/contracts/asyncapi';
import { DEAD_LETTER_HEADERS } from '../failure/dead-letters';

/** The generator writes header names into the AsyncAPI document; these are the names this library uses. */
const messages = (
  ASYNCAPI_DOCUMENT['components'] as {
    messages: Record<string, { headers: { properties: object } }>;
  }
).messages;

function documentedHeaders(message: string): string[] {
  return Object.keys(messages[message]?.headers.properties ?? {});
}

describe('the AsyncAPI document names the headers messaging writes', () => {
  it.each(CONTRACT_CLASSES.map((contract) => [contract.messageName]))(
    '%s carries the request id and W3C trace context',
    (name) => {
      expect(documentedHeaders(name)).toEqual(
        expect.arrayContaining([REQUEST_ID_HEADER, 'traceparent']),
      );
    },
  );

  /** The headers Nest's request-reply writes beside the message, by the contract's role. */
  const NEST_HEADERS_BY_ROLE: Readonly<Record<string, readonly string[]>> = {
    command: [
      KafkaHeaders.CORRELATION_ID,
      KafkaHeaders.REPLY_TOPIC,
      KafkaHeaders.REPLY_PARTITION,
    ],
    reply: [
      KafkaHeaders.CORRELATION_ID,
      KafkaHeaders.NEST_ERR,
      KafkaHeaders.NEST_IS_DISPOSED,
    ],
    event: [],
  };

  it.each(CONTRACT_CLASSES.map((contract) => [contract.messageName, contract]))(
    "%s carries Nest's request-reply headers for its role",
    (name, contract) => {
      const expected = NEST_HEADERS_BY_ROLE[contract.role];
      expect(expected).toBeDefined();
      expect(documentedHeaders(name)).toEqual(
        expect.arrayContaining([...(expected ?? [])]),
      );
    },
  );

  it('a dead letter carries every dead-letter header', () => {
    const commands = CONTRACT_CLASSES.filter(
      (contract) => contract.role === 'command',
    );
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) {
      expect(documentedHeaders(`${command.messageName}DeadLetter`)).toEqual(
        expect.arrayContaining(Object.values(DEAD_LETTER_HEADERS)),
      );
    }
  });
});
