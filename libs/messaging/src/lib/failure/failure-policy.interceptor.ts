import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  Logger,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HealthIndicatorService } from '@nestjs/terminus';
import {
  KafkaContext,
  KafkaHeaders,
  KafkaRetriableException,
} from '@nestjs/microservices';
import { defer, lastValueFrom, type Observable } from 'rxjs';
import { secondsSince } from '@subtasks/config';
import { describeCause } from '../errors/messaging-error';
import {
  type HandlingOutcome,
  MessagingMetrics,
} from '../metrics/messaging-metrics';
import { UndecodableMessageError } from '../kafka/contract-codecs';
import { DeadLetterPublisher } from './dead-letters';
import {
  classifyFailure,
  type FailureClassifier,
  type FailureKind,
} from './failure-kind';
import {
  failActiveSpan,
  inHandlingSpan,
  noteRetry,
} from '../tracing/trace-context';
import { isContract } from '../kafka/contract-catalogue';
import {
  carriedHeaders,
  correlationHeadersOf,
  OutgoingMessage,
} from '../kafka/outgoing-message';
import { ShutdownSignal } from './shutdown-signal';

/** What a handler declares about its failures (see `@CommandHandler`). */
export interface HandlerFailureOptions {
  /** The reply for a command that was parked: the caller learns why instead of waiting. */
  readonly rejectWith?: (message: unknown, reason: string) => unknown;
}

export const HANDLER_FAILURE_OPTIONS = Symbol('HANDLER_FAILURE_OPTIONS');
export const FAILURE_POLICY_SETTINGS = Symbol('FAILURE_POLICY_SETTINGS');

/**
 * Runs the handling of one consumed message inside the app's per-message context, given the headers
 * the message carries (its request id): e.g. the app's logger bound to that request id, so every line
 * written while handling it says which request it belongs to, as an HTTP request's lines do.
 */
export type MessageScope = <T>(
  carried: Readonly<Record<string, string>>,
  handle: () => Promise<T>,
) => Promise<T>;

export interface FailurePolicySettings {
  /** Around every handling, retries included; none by default. */
  readonly scope?: MessageScope;
  /** The app's own classification, consulted first (e.g. database errors). */
  readonly classify?: FailureClassifier;
  /** First backoff step; each attempt doubles it, with full jitter, up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Attempts for a failure of unknown kind before it is parked (transient ones never are). */
  readonly unknownAttempts: number;
}

const HEARTBEAT_EVERY_MS = 1_000;

interface Failing {
  readonly since: Date;
  attempts: number;
  reason: string;
}

/**
 * Which consumed messages are waiting out a transient failure (database or broker away). Health is
 * down while any is, so an orchestrator sees the worker is stuck, and why.
 */
@Injectable()
export class ProcessingHealth {
  private readonly failing = new Map<string, Failing>();

  constructor(private readonly health: HealthIndicatorService) {}

  failed(position: string, reason: string): number {
    const entry = this.failing.get(position) ?? {
      since: new Date(),
      attempts: 0,
      reason,
    };
    entry.attempts += 1;
    entry.reason = reason;
    this.failing.set(position, entry);
    return entry.attempts;
  }

  settled(position: string): void {
    this.failing.delete(position);
  }

  async isHealthy(key = 'processing') {
    const indicator = this.health.check(key);
    if (this.failing.size === 0) return indicator.up();
    const [position, oldest] = [...this.failing.entries()].sort(
      (a, b) => a[1].since.getTime() - b[1].since.getTime(),
    )[0] as [string, Failing];
    return indicator.down({
      waiting: this.failing.size,
      message: `${position}: ${oldest.reason}`,
      since: oldest.since.toISOString(),
      attempts: oldest.attempts,
    });
  }
}

/**
 * The failure policy around every contract handler: transient failures are retried without limit
 * while the partition waits (heartbeating, so the group keeps the member), unknown ones a few times,
 * and permanent ones — or unknown ones out of attempts — are parked in the dead-letter topic at once,
 * a command's caller getting the handler's rejection. A park that fails, a rebalance or a shutdown
 * gives the message back to Kafka uncommitted: nothing is lost, nothing good is parked.
 */
@Injectable()
export class FailurePolicyInterceptor implements NestInterceptor {
  private readonly logger = new Logger('MessageFailures');

  constructor(
    private readonly reflector: Reflector,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly health: ProcessingHealth,
    private readonly shutdown: ShutdownSignal,
    private readonly metrics: MessagingMetrics,
    @Inject(FAILURE_POLICY_SETTINGS)
    private readonly settings: FailurePolicySettings,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const kafka = context.switchToRpc().getContext<unknown>();
    if (!(kafka instanceof KafkaContext)) return next.handle();
    const options =
      this.reflector.get<HandlerFailureOptions | undefined>(
        HANDLER_FAILURE_OPTIONS,
        context.getHandler(),
      ) ?? {};
    const message: unknown = context.switchToRpc().getData();
    const handling = () =>
      inHandlingSpan(kafka.getTopic(), () =>
        this.handle(next, kafka, message, options),
      );
    const { scope } = this.settings;
    return defer(() =>
      scope === undefined
        ? handling()
        : scope(correlationOf(message, kafka), handling),
    );
  }

  private async handle(
    next: CallHandler,
    kafka: KafkaContext,
    message: unknown,
    options: HandlerFailureOptions,
  ): Promise<unknown> {
    const startedAt = process.hrtime.bigint();
    const topic = kafka.getTopic();
    try {
      const { result, outcome } = await this.attempt(
        next,
        kafka,
        message,
        options,
      );
      this.metrics.handled(topic, outcome, secondsSince(startedAt));
      return withCarriedHeaders(result, kafka);
    } catch (error) {
      // Undecodable bytes never reached the handler; their filter parks them and counts the letter.
      if (!(error instanceof UndecodableMessageError))
        this.metrics.handled(topic, 'redelivered', secondsSince(startedAt));
      throw error;
    }
  }

  private async attempt(
    next: CallHandler,
    kafka: KafkaContext,
    message: unknown,
    options: HandlerFailureOptions,
  ): Promise<{ result: unknown; outcome: HandlingOutcome }> {
    const position = positionOf(kafka);
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await lastValueFrom(next.handle(), {
          defaultValue: undefined,
        });
        this.health.settled(position);
        return { result, outcome: 'handled' };
      } catch (error) {
        // Undecodable bytes have their own filter, which parks them.
        if (error instanceof UndecodableMessageError) throw error;
        const kind = classifyFailure(error, this.settings.classify);
        // One line for health, the log and the dead-letter header: Prisma's messages span several.
        const reason = describeCause(error)
          .replace(/\s*\n\s*/g, ' ')
          .trim();
        if (
          kind === 'transient' ||
          (kind === 'unknown' && attempt < this.settings.unknownAttempts)
        ) {
          const delay = this.delayBefore(attempt + 1);
          const attempts = this.health.failed(position, reason);
          this.metrics.retried(kafka.getTopic(), kind);
          noteRetry(attempts, kind, reason);
          this.logger.warn(
            `${position}: handling failed (${kind}, attempt ${attempts}); retrying in ${delay} ms: ${reason}`,
          );
          await this.pause(delay, kafka, position);
          continue;
        }
        this.health.settled(position);
        return {
          result: await this.park(
            kafka,
            message,
            options,
            kind,
            reason,
            attempt,
          ),
          outcome: 'dead_lettered',
        };
      }
    }
  }

  private async park(
    kafka: KafkaContext,
    message: unknown,
    options: HandlerFailureOptions,
    kind: FailureKind,
    reason: string,
    attempts: number,
  ): Promise<unknown> {
    const raw = kafka.getMessage();
    const position = positionOf(kafka);
    const code =
      kind === 'permanent' ? 'PERMANENT_FAILURE' : 'PROCESSING_FAILED';
    failActiveSpan(`${code}: ${reason}`);
    if (this.deadLetters.topicFor(kafka.getTopic()) === undefined) {
      this.logger.error(
        `${position}: handling failed for good (${kind}, ${attempts} attempt(s)) and the catalogue declares no dead-letter topic; acknowledged: ${reason}`,
      );
    } else {
      try {
        await this.deadLetters.publish({
          sourceTopic: kafka.getTopic(),
          partition: kafka.getPartition(),
          offset: raw.offset,
          key: raw.key ?? null,
          value: Buffer.isBuffer(raw.value) ? raw.value : null,
          headers: raw.headers ?? {},
          code,
          reason,
        });
      } catch (error) {
        throw new KafkaRetriableException(
          `${position} could not be dead-lettered (${describeCause(error)}); it will be redelivered`,
        );
      }
    }
    return expectsReply(kafka)
      ? options.rejectWith?.(message, reason)
      : undefined;
  }

  /** Waits `ms`, heartbeating; a rebalance or a shutdown gives the message back to Kafka. */
  private async pause(
    ms: number,
    kafka: KafkaContext,
    position: string,
  ): Promise<void> {
    const until = Date.now() + ms;
    for (;;) {
      if (this.shutdown.signal.aborted) {
        this.health.settled(position);
        throw new KafkaRetriableException(
          `${position}: shutting down while retrying; the message will be redelivered`,
        );
      }
      try {
        await kafka.getHeartbeat()();
      } catch (error) {
        this.health.settled(position);
        throw new KafkaRetriableException(
          `${position}: the group is rebalancing (${describeCause(error)}); the message will be redelivered`,
        );
      }
      const left = until - Date.now();
      if (left <= 0) return;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(left, HEARTBEAT_EVERY_MS)),
      );
    }
  }

  private delayBefore(attempt: number): number {
    const ceiling = Math.min(
      this.settings.maxDelayMs,
      this.settings.baseDelayMs * 2 ** Math.min(attempt - 2, 20),
    );
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }
}

function positionOf(kafka: KafkaContext): string {
  return `${kafka.getTopic()}[${kafka.getPartition()}]@${kafka.getMessage().offset}`;
}

/** Nest replies only to a message with a correlation id and a reply topic. */
function expectsReply(kafka: KafkaContext): boolean {
  const headers = kafka.getMessage().headers ?? {};
  return (
    headers[KafkaHeaders.CORRELATION_ID] !== undefined &&
    headers[KafkaHeaders.REPLY_TOPIC] !== undefined
  );
}

/** A reply goes out with the headers its command carried (the request id), without the handler. */
function withCarriedHeaders(result: unknown, kafka: KafkaContext): unknown {
  return isContract(result)
    ? new OutgoingMessage(
        result,
        carriedHeaders(kafka.getMessage().headers ?? {}),
      )
    : result;
}

/**
 * The correlation a handling runs under: the request id the contract itself names (a producer outside
 * this codebase may send no headers), overridden by what the record's headers carry, as when sending.
 */
function correlationOf(
  message: unknown,
  kafka: KafkaContext,
): Record<string, string> {
  return {
    ...(isContract(message) ? correlationHeadersOf(message) : {}),
    ...carriedHeaders(kafka.getMessage().headers ?? {}),
  };
}
