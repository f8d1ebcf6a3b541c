import {
  Injectable,
  type ArgumentMetadata,
  type PipeTransform,
} from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { Contract } from '@subtasks/contracts';
import { MessagingError } from '../errors/messaging-error';
import { requireContract } from '../kafka/contract-catalogue';
import { UndecodableMessage } from '../kafka/undecodable-message';
import { UndecodableMessageError } from './undecodable-message.error';

/**
 * Lets a handler parameter through only as a decoded, validated contract instance of the declared
 * class; an undecodable message becomes an {@link UndecodableMessageError} for the filters.
 */
@Injectable()
export class ContractPayloadPipe implements PipeTransform<unknown, Contract> {
  transform(value: unknown, metadata: ArgumentMetadata): Contract {
    if (value instanceof UndecodableMessage) {
      throw new UndecodableMessageError(value);
    }
    const message = requireContract(value, 'A message handler parameter');
    const expected = metadata.metatype;
    const expectsContractClass =
      typeof expected === 'function' &&
      typeof Reflect.get(expected, 'fromAvro') === 'function';
    if (expectsContractClass && !(message instanceof expected)) {
      throw new MessagingError(
        'NOT_A_CONTRACT',
        `The handler parameter is declared as ${String(Reflect.get(expected, 'messageName'))} but the message on ${message.contract.topic} is a ${message.contract.messageName}`,
        { topic: message.contract.topic },
      );
    }
    return message;
  }
}

/** The handler's payload as its contract class instance: `@ContractPayload() command: UploadSubtaskResult`. */
export function ContractPayload(): ParameterDecorator {
  return Payload(new ContractPayloadPipe());
}
