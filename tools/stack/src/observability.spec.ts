import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ENVIRONMENT_DEFAULTS } from '@subtasks/config';
import { parse } from 'yaml';
import { findRepoRoot } from './paths';

const root = findRepoRoot();
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface Service {
  profiles?: string[];
  ports?: string[];
  volumes?: string[];
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
};
const prometheus = parse(read('tools/stack/observability/prometheus.yml')) as {
  scrape_configs: {
    job_name: string;
    static_configs: { targets: string[] }[];
  }[];
};
const dashboard = JSON.parse(
  read('tools/stack/observability/grafana/dashboards/subtasks.json'),
) as { panels: { title: string; targets: { expr: string }[] }[] };

/** Every TypeScript source file under `dir`, tests left out. */
function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(name)
      ? [path]
      : [];
  });
}

/** The metric names the apps and libraries declare through `Metrics` (counter, histogram, gauge). */
const declared = new Set(
  ['apps', 'libs']
    .flatMap(sources)
    .flatMap((file) =>
      [
        ...read(file).matchAll(
          /\.(?:counter|histogram|gauge|scrapedGauge)\(\s*\{\s*name:\s*'([a-z_:]+)'/g,
        ),
      ].map((match) => match[1] ?? ''),
    ),
);

/** The names a PromQL expression reads (`foo_bucket` is the histogram `foo`). */
function metricsIn(expr: string): string[] {
  const withoutStrings = expr.replace(/"[^"]*"/g, '""');
  return [
    ...withoutStrings.matchAll(
      /\b([a-z][a-z0-9_]*_(?:total|seconds|seconds_bucket|seconds_count|seconds_sum|messages|in_flight))\b/g,
    ),
  ].map((match) => (match[1] ?? '').replace(/_(bucket|count|sum)$/, ''));
}

describe('observability profile', () => {
  it('scrapes the apps on their default ports', () => {
    const targets = Object.fromEntries(
      prometheus.scrape_configs.map((job) => [
        job.job_name,
        job.static_configs.flatMap((c) => c.targets),
      ]),
    );
    expect(targets).toEqual({
      api: [`host.docker.internal:${ENVIRONMENT_DEFAULTS.PORT}`],
      'subtask-worker': [
        `host.docker.internal:${ENVIRONMENT_DEFAULTS.WORKER_HEALTH_PORT}`,
      ],
    });
  });

  it('runs Prometheus and Grafana only when asked, on loopback, clear of the apps’ ports', () => {
    const appPorts = [
      ENVIRONMENT_DEFAULTS.PORT,
      ENVIRONMENT_DEFAULTS.WORKER_HEALTH_PORT,
    ];
    for (const name of ['prometheus', 'grafana', 'jaeger']) {
      const service = compose.services[name];
      expect(service?.profiles).toEqual(['observability']);
      for (const mapping of service?.ports ?? []) {
        const [host, published] = mapping.split(':');
        expect(host).toBe('127.0.0.1');
        expect(appPorts).not.toContain(Number(published));
      }
    }
    expect(compose.services['prometheus']?.volumes).toContain(
      './tools/stack/observability/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
    );
  });

  it('receives traces where the README tells the apps to send them', () => {
    const endpoint =
      /OTEL_EXPORTER_OTLP_ENDPOINT=http:\/\/127\.0\.0\.1:(\d+) npm start/.exec(
        read('README.md'),
      )?.[1];
    expect(endpoint).toBeDefined();
    expect(compose.services['jaeger']?.ports).toContain(
      `127.0.0.1:${endpoint}:4318`,
    );
  });

  it('charts only metrics the apps declare, and every metric the README documents', () => {
    const charted = dashboard.panels.flatMap((panel) =>
      panel.targets.flatMap((target) => metricsIn(target.expr)),
    );
    expect(charted.length).toBeGreaterThan(dashboard.panels.length - 1);
    for (const name of charted) expect(declared).toContain(name);

    const documented = new Set(
      [...read('README.md').matchAll(/^\| `([a-z_]+)(?:\{[^`]*\})?`/gm)].map(
        (match) => match[1],
      ),
    );
    expect(declared.size).toBeGreaterThanOrEqual(11);
    for (const name of declared) expect(documented).toContain(name);
  });

  it('charts what an operator asks first: uploads by outcome, time to clear, flags, lag, dead letters', () => {
    const charted = new Set(
      dashboard.panels.flatMap((panel) =>
        panel.targets.flatMap((target) => metricsIn(target.expr)),
      ),
    );
    for (const name of [
      'subtask_uploads_settled_total',
      'subtask_upload_flag_duration_seconds',
      'subtask_uploads_in_flight',
      'kafka_consumer_lag_messages',
      'messaging_dead_letters_total',
    ])
      expect(charted).toContain(name);
  });
});
