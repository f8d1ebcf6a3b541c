import {
  SetMetadata,
  UseFilters,
  UseInterceptors,
  applyDecorators,
} from '@nestjs/common';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import type {
  CommandClass,
  Contract,
  ContractClass,
} from '@subtasks/contracts';
import {
  FailurePolicyInterceptor,
  HANDLER_FAILURE_OPTIONS,
} from '../failure/failure-policy.interceptor';
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
