/**
 * Sorts failures of registry calls into what a caller can act on.
 *
 * `@kafkajs/confluent-schema-registry` turns every failed HTTP call into a `ResponseError` with the
 * HTTP `status`. A registry answer carries a JSON `message`, which the library shows as
 * `<clientId> - <message>`; a transport failure (connection refused, timeout) reaches it as a
 * status 400 without a registry body and is shown as `<clientId> - Error, status 400: <cause>`.
 */
export const REGISTRY_CLIENT_ID = 'subtasks-messaging';

const NO_REGISTRY_BODY = `${REGISTRY_CLIENT_ID} - Error, status `;

export type RegistryFailureKind =
  /** Network failure, timeout, 5xx, 408, 429, or an endpoint that is not a registry: retry later. */
  | 'unavailable'
  /** The registry answered 404 (unknown id, subject or schema). */
  | 'not-found'
  /** The registry answered and refused (409 incompatible, 422 invalid, …), or the client refused. */
  | 'rejected'
  /** The registry refused the credentials (401) or this client's right to the operation (403). */
  | 'unauthorized'
  /** The registry's TLS certificate is not trusted (or does not name its host). */
  | 'untrusted';

export interface RegistryFailure {
  readonly kind: RegistryFailureKind;
  /** The registry's own message when it sent one, else the transport's. */
  readonly reason: string;
}

function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error) {
    const { status } = error;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}

/** Errors are compared by shape: fetch's come from Node's own realm, not Jest's sandbox. */
function isErrorLike(value: unknown): value is Error {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof Reflect.get(value, 'name') === 'string' &&
    typeof Reflect.get(value, 'message') === 'string'
  );
}

function messageOf(error: unknown): string {
  if (!isErrorLike(error)) {
    return String(error);
  }
  // fetch says only "fetch failed"; the reason (ECONNREFUSED, …) is in its cause.
  return isErrorLike(error.cause)
    ? `${error.message} (${error.cause.message})`
    : error.message;
}

/** Classifies an error thrown by `SchemaRegistry` (or by `fetch` against the registry). */
export function classifyRegistryFailure(error: unknown): RegistryFailure {
  const message = messageOf(error);
  const answeredByRegistry = !message.startsWith(NO_REGISTRY_BODY);
  const reason = message.startsWith(`${REGISTRY_CLIENT_ID} - `)
    ? message.slice(REGISTRY_CLIENT_ID.length + 3)
    : message;
  const status = statusOf(error);
  if (status === 401 || status === 403) {
    return {
      kind: 'unauthorized',
      reason: `HTTP ${status}${answeredByRegistry && reason !== `HTTP ${status}` ? ` ${reason}` : ''}`,
    };
  }
  if (UNTRUSTED_TLS.test(message)) {
    return { kind: 'untrusted', reason };
  }
  if (status === undefined) {
    return {
      kind: isTransportError(error) ? 'unavailable' : 'rejected',
      reason,
    };
  }
  if (
    status >= 500 ||
    status === 408 ||
    status === 429 ||
    !answeredByRegistry
  ) {
    return { kind: 'unavailable', reason };
  }
  return { kind: status === 404 ? 'not-found' : 'rejected', reason };
}

const UNTRUSTED_TLS =
  /self[- ]signed certificate|unable to (verify|get)[a-z ]*certificate|certificate has expired|altnames|CERT_|DEPTH_ZERO/i;

/** `fetch` rejects with `TypeError: fetch failed` on network failure, TimeoutError on timeout. */
function isTransportError(error: unknown): boolean {
  if (!isErrorLike(error)) {
    return false;
  }
  return (
    (error.name === 'TypeError' && error.message === 'fetch failed') ||
    error.name === 'TimeoutError' ||
    error.name === 'AbortError'
  );
}
