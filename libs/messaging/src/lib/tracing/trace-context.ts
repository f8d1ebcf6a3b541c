import {
  type Context,
  ROOT_CONTEXT,
  SpanStatusCode,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';

/**
 * Trace context helpers over the OpenTelemetry API. Without a started SDK every one of them is a
 * no-op (no span is active, the propagator writes nothing), so the apps pay nothing when untraced.
 */

/** The active span's W3C trace context as headers (`traceparent`, `tracestate`), for a message sent later. */
export function currentTraceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}

/** The context a message's headers carry (the root context when they carry none). */
export function contextOfHeaders(
  headers: Readonly<Record<string, unknown>>,
): Context {
  return propagation.extract(ROOT_CONTEXT, headers, {
    keys: (carrier) => Object.keys(carrier),
    get: (carrier, key) => {
      const value = carrier[key];
      if (typeof value === 'string') return value;
      return Buffer.isBuffer(value) ? value.toString('utf8') : undefined;
    },
  });
}

const tracer = trace.getTracer('@subtasks/messaging');

/**
 * Runs a consumed message's handling (every attempt, the retries' waits, a park) in a span of its own
 * under the consumer's `process` span; an error that escapes (a redelivery) marks it failed.
 */
export function inHandlingSpan<T>(
  topic: string,
  work: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(
    `handle ${topic}`,
    { attributes: { 'messaging.destination.name': topic } },
    async (span) => {
      try {
        return await work();
      } catch (error) {
        failActiveSpan(
          error instanceof Error ? error.message : String(error),
          error,
        );
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** A failed attempt that will be retried, as an event on the active (handling) span. */
export function noteRetry(attempt: number, kind: string, reason: string): void {
  trace
    .getActiveSpan()
    ?.addEvent('retry', { attempt, 'failure.kind': kind, reason });
}

/** Names the upload on the active span (the HTTP request's, or the consumed message's). */
export function annotateActiveSpan(
  attributes: Readonly<Record<string, string>>,
): void {
  trace.getActiveSpan()?.setAttributes(attributes);
}

/** Marks the active span failed: the message it handles was given up on (dead-lettered). */
export function failActiveSpan(reason: string, error?: unknown): void {
  const span = trace.getActiveSpan();
  if (span === undefined) return;
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
}
