import { placeOf, summarizeProfile, type CpuProfile } from './cpu-profile';

const frame = (functionName: string, url: string) => ({ functionName, url });

describe('CPU profile summary', () => {
  it('names the place of a frame: package (scoped too), Node, the app bundle, GC, native', () => {
    expect(placeOf(frame('query', '/w/node_modules/pg/lib/client.js'))).toBe(
      'pg',
    );
    expect(
      placeOf(frame('x', 'file:///w/node_modules/@prisma/client/runtime/a.js')),
    ).toBe('@prisma/client');
    expect(placeOf(frame('emit', 'node:events'))).toBe('node');
    expect(placeOf(frame('handle', '/w/dist/apps/api/main.js'))).toBe('app');
    expect(placeOf(frame('(garbage collector)', ''))).toBe('GC');
    expect(placeOf(frame('(program)', ''))).toBe('V8/native');
    expect(placeOf(frame('(idle)', ''))).toBe('idle');
  });

  it('shares self time among places and functions, idle left out', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(idle)', '') },
        { id: 2, callFrame: frame('query', '/w/node_modules/pg/lib/c.js') },
        { id: 3, callFrame: frame('handle', '/w/dist/apps/api/main.js') },
      ],
      samples: [1, 2, 2, 3, 1],
      timeDeltas: [5_000, 1_000, 2_000, 1_000, 9_000],
    };
    const summary = summarizeProfile(profile, 5);
    expect(summary.busyMs).toBe(4);
    expect(summary.places).toEqual([
      { name: 'pg', share: 0.75 },
      { name: 'app', share: 0.25 },
    ]);
    expect(summary.functions[0]).toEqual({
      name: 'query (c.js) [pg]',
      share: 0.75,
    });
  });
});
