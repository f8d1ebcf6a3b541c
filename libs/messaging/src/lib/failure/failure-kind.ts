import { MessagingError } from '../errors/messaging-error';

/**
 * How a failed handling is treated:
 * - `transient`: the world is briefly away (database, broker, registry): retried without limit, the
 *   partition waits, nothing is parked;
 * - `permanent`: this message can never succeed (invalid, refused by a constraint): parked at once;
 * - `unknown`: not recognised: retried a few times, then parked with the reason.
 */
export type FailureKind = 'transient' | 'permanent' | 'unknown';

/** An app's own classification (e.g. the database's), consulted first; undefined: no opinion. */
export type FailureClassifier = (error: unknown) => FailureKind | undefined;

/** A refusal a handler knows to be final for this message (e.g. an empty idempotency key). */
export class PermanentFailure extends Error {
  override readonly name = 'PermanentFailure';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? Reflect.get(value, key)
    : undefined;
}

/** kafkajs marks what a retry may fix; its connection and timeout errors are transient too. */
function isTransientKafkaError(error: unknown): boolean {
  const name = field(error, 'name');
  if (typeof name !== 'string' || !name.startsWith('KafkaJS')) return false;
  return (
    field(error, 'retriable') === true ||
    /Connection|Timeout|NumberOfRetriesExceeded|BrokerNotFound|Lock/.test(name)
  );
}

export function classifyFailure(
  error: unknown,
  appClassifier?: FailureClassifier,
): FailureKind {
  const fromApp = appClassifier?.(error);
  if (fromApp !== undefined) return fromApp;
  if (error instanceof PermanentFailure) return 'permanent';
  if (error instanceof MessagingError)
    return error.retriable ? 'transient' : 'permanent';
  if (isTransientKafkaError(error)) return 'transient';
  const code = field(error, 'code');
  if (typeof code === 'string' && TRANSIENT_NODE_CODES.has(code))
    return 'transient';
  return 'unknown';
}
