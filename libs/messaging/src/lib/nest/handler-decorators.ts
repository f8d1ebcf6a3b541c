import {
  Injectable,
  SetMetadata,
  UseFilters,
  UseInterceptors,
  applyDecorators,
  type ArgumentMetadata,
  type PipeTransform,
} from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import type {
  CommandClass,
  Contract,
  ContractClass,
} from '@subtasks/contracts';
import { MessagingError } from '../errors/messaging-error';
import {
  FailurePolicyInterceptor,
  HANDLER_FAILURE_OPTIONS,
} from '../failure/failure-policy.interceptor';
import { requireContract } from '../kafka/contract-catalogue';
import {
  UndecodableMessage,
  UndecodableMessageError,
} from '../kafka/contract-codecs';
import {
  UndecodableCommandFilter,
  UndecodableEventFilter,
} from './undecodable-message.filters';

export interface CommandHandlerOptions<C extends Contract, R extends Contract> {
  /** The reply when the command is parked (permanent failure): the caller learns why. */
  readonly rejectWith: (command: C, reason: string) => R;
}

/**
 * Handles a command: `MessagePattern(topic)`; the return value (an instance of the command's reply
 * class) is sent back to the caller. Pair with `@ContractPayload()` on the parameter. Failures
 * follow the messaging failure policy (retry transient ones, park permanent ones, reply with
 * `rejectWith`), so the handler holds no error handling of its own.
 */
export function CommandHandler<C extends Contract, R extends Contract>(
  command: CommandClass<C, R>,
  options: CommandHandlerOptions<C, R>,
): MethodDecorator {
  return applyDecorators(
    MessagePattern(command.topic),
    UseFilters(UndecodableCommandFilter),
    UseInterceptors(FailurePolicyInterceptor),
    SetMetadata(HANDLER_FAILURE_OPTIONS, {
      rejectWith: (message: unknown, reason: string) =>
        options.rejectWith(message as C, reason),
    }),
  );
}

/**
 * Handles an event: `EventPattern(topic)`. Pair with `@ContractPayload()`. Failures follow the
 * messaging failure policy. (A command that was emitted rather than sent reaches its
 * `@CommandHandler`; Nest just discards the reply.)
 */
export function EventHandler(message: ContractClass): MethodDecorator {
  return applyDecorators(
    EventPattern(message.topic),
    UseFilters(UndecodableEventFilter),
    UseInterceptors(FailurePolicyInterceptor),
  );
}

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
