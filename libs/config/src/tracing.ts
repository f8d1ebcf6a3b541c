// A separate entry point: imported first by each app's main.ts, before anything it instruments.
export * from './tracing/start-tracing';
