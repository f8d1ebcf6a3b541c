import { MessagingError } from '../errors/messaging-error';
import type { UndecodableMessage } from '../kafka/contract-codecs';

/**
 * Thrown by {@link ContractPayloadPipe} when a handler was given an undecodable message; the
 * handler decorators' filters catch it. Carries the message for dead-lettering.
 */
export class UndecodableMessageError extends MessagingError {
  override readonly name: string = 'UndecodableMessageError';

  constructor(readonly undecodable: UndecodableMessage) {
    super(
      undecodable.code,
      `${undecodable.error.message} (at ${undecodable.position})`,
      {
        topic: undecodable.topic,
        schemaId: undecodable.error.schemaId,
        fields: undecodable.error.fields,
        cause: undecodable.error,
      },
    );
  }
}
