import { REQUEST_ID_HEADER } from '@subtasks/config';
import type { Contract } from '@subtasks/contracts';
import { requireContract } from './contract-catalogue';

/**
 * Headers a handled message hands on to what its handler sends: the request id of the HTTP call
 * that started the chain, so every hop's logs and records can be joined. Declared once, here.
 */
export const CARRIED_HEADERS: readonly string[] = [REQUEST_ID_HEADER];

/**
 * The headers a message brings by itself: its `requestId` field (every contract of this catalogue
 * has one) as the request id header, so no sender copies it by hand.
 */
export function correlationHeadersOf(
  message: Contract,
): Record<string, string> {
  const requestId = (message as { readonly requestId?: unknown }).requestId;
  return typeof requestId === 'string' && requestId !== ''
    ? { [REQUEST_ID_HEADER]: requestId }
    : {};
}

/**
 * A contract and the Kafka headers to send it with: what the client hands Nest's transport, and what
 * a reply becomes once the failure policy has added the headers carried from its command. Every
 * message carries its own request id; the caller adds only what the message cannot know. The
 * serializers read the headers from here; nothing travels beside the message.
 */
export class OutgoingMessage<T extends Contract = Contract> {
  // Made only when someone asks: replies and events are sent without anyone awaiting Kafka's verdict.
  private verdict?: { readonly error?: unknown };
  private waiting?: {
    readonly promise: Promise<void>;
    resolve(): void;
    reject(error: unknown): void;
  };

  readonly headers: Readonly<Record<string, string>>;

  /** `headers` are added to the message's own (its request id), and win over them. */
  constructor(
    readonly message: T,
    headers: Readonly<Record<string, string>> = {},
  ) {
    this.headers = { ...correlationHeadersOf(message), ...headers };
  }

  /** Settled by the transport once Kafka acknowledged (or refused) the record. */
  get acknowledged(): Promise<void> {
    if (this.waiting) return this.waiting.promise;
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<void>((done, fail) => {
      resolve = done;
      reject = fail;
    });
    // A caller that never awaits the acknowledgement must not see an unhandled rejection.
    promise.catch(() => undefined);
    this.waiting = { promise, resolve, reject };
    if (this.verdict) this.deliver(this.verdict.error);
    return promise;
  }

  /** The transport's verdict on the record made from this message; the first one counts. */
  settled(error?: unknown): void {
    if (this.verdict) return;
    this.verdict = { error };
    if (this.waiting) this.deliver(error);
  }

  private deliver(error: unknown): void {
    if (error === undefined) this.waiting?.resolve();
    else this.waiting?.reject(error);
  }
}

/** A value handed to a serializer, as an outgoing message: a bare contract gets no extra headers. */
export function toOutgoing(value: unknown, where: string): OutgoingMessage {
  return value instanceof OutgoingMessage
    ? value
    : new OutgoingMessage(requireContract(value, where));
}

/** The carried headers of a consumed message, to send on with what its handler returns. */
export function carriedHeaders(
  consumed: Readonly<Record<string, unknown>>,
): Record<string, string> {
  const carried: Record<string, string> = {};
  for (const name of CARRIED_HEADERS) {
    const value = headerText(consumed, name);
    if (value !== undefined) carried[name] = value;
  }
  return carried;
}

/** A header as text, whatever shape Nest's parser left it in (string, Buffer, parsed JSON). */
export function headerText(
  headers: Readonly<Record<string, unknown>>,
  name: string,
): string | undefined {
  const value = headers[name];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'string') {
    return value;
  }
  if (Buffer.isBuffer(value)) {
    return value.toString('utf8');
  }
  return JSON.stringify(value);
}
