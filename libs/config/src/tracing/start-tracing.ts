import type { NodeSDK } from '@opentelemetry/sdk-node';

/** Paths probed often enough that tracing them would drown the uploads. */
const UNTRACED_PATHS = new Set(['/health', '/metrics']);

let sdk: NodeSDK | undefined;

/**
 * Whether the standard OTEL_* variables ask for traces: an OTLP endpoint (or an explicit exporter)
 * and not OTEL_SDK_DISABLED. Without them nothing is loaded or patched, so tracing costs nothing.
 */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return false;
  const exporter = env['OTEL_TRACES_EXPORTER']?.trim();
  if (exporter === 'none') return false;
  return Boolean(
    env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim() ||
      env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim() ||
      exporter,
  );
}

/**
 * Starts the OpenTelemetry Node SDK, configured by the standard OTEL_* variables (endpoint,
 * protocol, headers, sampler, resource attributes; OTEL_SERVICE_NAME overrides `serviceName`).
 * Must run before Nest, kafkajs, pg and pino are loaded: the instrumentations patch them as they
 * are required. Traces only — metrics are prom-client's (`GET /metrics`), logs stay on stdout.
 */
export function startTracing(serviceName: string): void {
  if (sdk !== undefined || !tracingRequested(process.env)) return;
  // Loaded only when asked for, and synchronously: an app without tracing loads none of it, and the
  // patching precedes the app's own requires.
  const { NodeSDK } =
    require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation, ExpressLayerType } =
    require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
  const { NestInstrumentation } =
    require('@opentelemetry/instrumentation-nestjs-core') as typeof import('@opentelemetry/instrumentation-nestjs-core');
  const { KafkaJsInstrumentation } =
    require('@opentelemetry/instrumentation-kafkajs') as typeof import('@opentelemetry/instrumentation-kafkajs');
  const { PgInstrumentation } =
    require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { PinoInstrumentation } =
    require('@opentelemetry/instrumentation-pino') as typeof import('@opentelemetry/instrumentation-pino');
  sdk = new NodeSDK({
    serviceName: process.env['OTEL_SERVICE_NAME'] ?? serviceName,
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      // The server span of each request, and W3C context from its headers.
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) =>
          UNTRACED_PATHS.has((request.url ?? '').split('?')[0] ?? ''),
        // The apps call no HTTP services on an upload's path; the registry is looked up once.
        ignoreOutgoingRequestHook: () => true,
      }),
      // The route pattern (`/subtasks/:id/result`) as the span's name and http.route. Its spans
      // per middleware and router layer add nothing Nest's handler span does not say: left out.
      new ExpressInstrumentation({
        ignoreLayersType: [
          ExpressLayerType.MIDDLEWARE,
          ExpressLayerType.REQUEST_HANDLER,
        ],
      }),
      // Which controller method handled the request.
      new NestInstrumentation(),
      // Producer and consumer spans, with W3C context carried in the Kafka message headers.
      new KafkaJsInstrumentation(),
      // Every SQL statement (Prisma runs them through the pg driver adapter).
      // Only inside a traced operation, and without the pool's checkout spans.
      new PgInstrumentation({
        requireParentSpan: true,
        ignoreConnectSpans: true,
      }),
      // trace_id and span_id on every log line written inside a span.
      new PinoInstrumentation({ disableLogSending: true }),
    ],
  });
  sdk.start();
}

/** Exports the spans still buffered; the apps call it last on shutdown. */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown();
}
