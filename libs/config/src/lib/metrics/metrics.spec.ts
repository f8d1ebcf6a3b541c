import { Metrics } from './metrics';

describe('Metrics', () => {
  it("serves Node's process metrics and the app's own in Prometheus text format", async () => {
    const metrics = new Metrics();
    metrics.counter({ name: 'things_total', help: 'Things' }).inc(3);

    const text = await metrics.registry.metrics();

    expect(text).toContain('# TYPE things_total counter');
    expect(text).toContain('things_total 3');
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('nodejs_heap_size_used_bytes');
  });

  it('returns the first declaration of a name, so two parts can share one metric', () => {
    const metrics = new Metrics();
    const first = metrics.histogram({ name: 'shared_seconds', help: 'h' });

    expect(metrics.histogram({ name: 'shared_seconds', help: 'h' })).toBe(
      first,
    );
  });

  it('keeps each app registry apart', async () => {
    const one = new Metrics();
    const other = new Metrics();
    one.counter({ name: 'apart_total', help: 'a' }).inc();

    expect(await other.registry.metrics()).not.toContain('apart_total');
  });

  it('reads a scraped gauge at each scrape', async () => {
    const metrics = new Metrics();
    let backlog = 4;
    metrics.scrapedGauge({ name: 'backlog', help: 'b' }, async (gauge) =>
      gauge.set(backlog),
    );

    expect(await metrics.registry.metrics()).toContain('backlog 4');
    backlog = 0;
    expect(await metrics.registry.metrics()).toContain('backlog 0');
  });

  it('leaves out a scraped gauge whose reading fails or hangs, and still serves the rest', async () => {
    const metrics = new Metrics();
    let fail = true;
    metrics.scrapedGauge(
      { name: 'lag', help: 'l', labelNames: ['partition'] },
      async (gauge) => {
        gauge.set({ partition: '0' }, 7);
        if (fail) throw new Error('broker away');
      },
    );
    metrics.scrapedGauge(
      { name: 'stuck', help: 's' },
      () => new Promise<void>(() => undefined),
      50,
    );
    metrics.counter({ name: 'alive_total', help: 'a' }).inc();

    const text = await metrics.registry.metrics();
    expect(text).toContain('alive_total 1');
    expect(text).not.toMatch(/^lag\{/m);
    // prom-client writes NaN as `Nan`; Prometheus reads it case-insensitively.
    expect(text).toMatch(/^stuck nan$/im);

    fail = false;
    expect(await metrics.registry.metrics()).toContain('lag{partition="0"} 7');
  });
});
