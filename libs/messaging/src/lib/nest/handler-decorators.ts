import { UseFilters, applyDecorators } from '@nestjs/common';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import type { CommandClass, ContractClass } from '@subtasks/contracts';
import {
  UndecodableCommandFilter,
  UndecodableEventFilter,
} from './undecodable-message.filters';

/**
 * Handles a command: `MessagePattern(topic)`; the return value (an instance of the command's reply
 * class) is sent back to the caller. Pair with `@ContractPayload()` on the parameter.
 */
export function CommandHandler(command: CommandClass): MethodDecorator {
  return applyDecorators(
    MessagePattern(command.topic),
    UseFilters(UndecodableCommandFilter),
  );
}

/**
 * Handles an event: `EventPattern(topic)`. Pair with `@ContractPayload()`. (A command that was
 * emitted rather than sent reaches its `@CommandHandler`; Nest just discards the reply.)
 */
export function EventHandler(message: ContractClass): MethodDecorator {
  return applyDecorators(
    EventPattern(message.topic),
    UseFilters(UndecodableEventFilter),
  );
}
