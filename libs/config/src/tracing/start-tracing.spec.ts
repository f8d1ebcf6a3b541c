import { tracingRequested } from './start-tracing';

describe('tracingRequested', () => {
  it.each([
    ['no OTEL variable at all', {}, false],
    [
      'an OTLP endpoint',
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' },
      true,
    ],
    [
      'a traces endpoint',
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' },
      true,
    ],
    ['an explicit exporter', { OTEL_TRACES_EXPORTER: 'console' }, true],
    [
      'OTEL_SDK_DISABLED=true, whatever else',
      {
        OTEL_SDK_DISABLED: 'TRUE',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      },
      false,
    ],
    [
      'OTEL_TRACES_EXPORTER=none',
      {
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      },
      false,
    ],
    ['an empty endpoint', { OTEL_EXPORTER_OTLP_ENDPOINT: ' ' }, false],
  ])('%s → %s', (_case, env, expected) => {
    expect(tracingRequested(env)).toBe(expected);
  });
});
