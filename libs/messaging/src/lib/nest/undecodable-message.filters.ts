import {
  Catch,
  Inject,
  Logger,
  Optional,
  type ArgumentsHost,
  type RpcExceptionFilter,
} from '@nestjs/common';
import {
  KafkaContext,
  KafkaHeaders,
  KafkaRetriableException,
} from '@nestjs/microservices';
import { Observable, catchError, from, mergeMap, of, throwError } from 'rxjs';
import { describeCause } from '../errors/messaging-error';
import {
  type UndecodableMessage,
  UndecodableMessageError,
} from '../kafka/contract-codecs';
import { failActiveSpan } from '../tracing/trace-context';
import {
  UNDECODABLE_MESSAGE_HOOK,
  type UndecodableMessageHook,
} from './messaging.tokens';

const logger = new Logger('UndecodableMessage');

/** Logs, then runs the app's hook; a failing hook asks Kafka to redeliver the message. */
function report(
  message: UndecodableMessage,
  hook: UndecodableMessageHook | undefined,
): Observable<void> {
  logger.warn(
    `${message.code} at ${message.position}: ${message.error.message}`,
  );
  failActiveSpan(`${message.code}: ${message.error.message}`, message.error);
  return from(Promise.resolve(hook?.(message))).pipe(
    catchError((error: unknown) =>
      throwError(
        () =>
          new KafkaRetriableException(
            `Handling the undecodable message at ${message.position} failed: ${describeCause(error)}`,
          ),
      ),
    ),
  );
}

/**
 * For `@EventHandler`: the message is reported and acknowledged, so the partition moves on. An
 * error here would make Nest's event path reject and kafkajs redeliver the same bytes forever.
 */
@Catch(UndecodableMessageError)
export class UndecodableEventFilter
  implements RpcExceptionFilter<UndecodableMessageError>
{
  constructor(
    @Optional()
    @Inject(UNDECODABLE_MESSAGE_HOOK)
    private readonly hook?: UndecodableMessageHook,
  ) {}

  catch(exception: UndecodableMessageError): Observable<undefined> {
    return report(exception.undecodable, this.hook).pipe(
      mergeMap(() => of(undefined)),
    );
  }
}

/**
 * For `@CommandHandler`: reported, then the caller gets an error reply with the typed error. Nest
 * replies only when the message has a correlation id and a reply topic; without them it runs the
 * handler on its event path, so then this acknowledges like the event filter.
 */
@Catch(UndecodableMessageError)
export class UndecodableCommandFilter
  implements RpcExceptionFilter<UndecodableMessageError>
{
  constructor(
    @Optional()
    @Inject(UNDECODABLE_MESSAGE_HOOK)
    private readonly hook?: UndecodableMessageHook,
  ) {}

  catch(
    exception: UndecodableMessageError,
    host: ArgumentsHost,
  ): Observable<undefined> {
    return report(exception.undecodable, this.hook).pipe(
      mergeMap(() =>
        expectsReply(host)
          ? throwError(() => exception.toJSON())
          : of(undefined),
      ),
    );
  }
}

function expectsReply(host: ArgumentsHost): boolean {
  const context: unknown = host.switchToRpc().getContext();
  if (!(context instanceof KafkaContext)) {
    return false;
  }
  const headers = context.getMessage().headers ?? {};
  return (
    headers[KafkaHeaders.CORRELATION_ID] !== undefined &&
    headers[KafkaHeaders.REPLY_TOPIC] !== undefined
  );
}
