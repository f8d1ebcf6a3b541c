import { satisfiesRange } from './node-engines';

describe('satisfiesRange', () => {
  const engines = '^20.19.0 || ^22.12.0 || ^24.0.0';

  it.each([
    ['20.19.0', true],
    ['v20.20.2', true],
    ['22.12.0', true],
    ['24.1.0', true],
    ['20.18.3', false],
    ['21.7.0', false],
    ['22.11.0', false],
    ['18.20.4', false],
    ['25.0.0', false],
  ])('%s against package.json engines → %s', (version, fits) => {
    expect(satisfiesRange(version, engines)).toBe(fits);
  });

  it.each([
    ['11.19.1', '>=10', true],
    ['9.8.1', '>=10', false],
    ['20.1.0', '~20.1.0', true],
    ['20.2.0', '~20.1.0', false],
    ['20.5.1', '20.x', true],
    ['20.5.1', '>=18 <20', false],
  ])('%s against %s → %s', (version, range, fits) => {
    expect(satisfiesRange(version, range)).toBe(fits);
  });

  it('says it does not know rather than guess', () => {
    expect(satisfiesRange('20.1.0', 'lts/*')).toBeUndefined();
    expect(satisfiesRange('not a version', '>=10')).toBeUndefined();
  });
});
