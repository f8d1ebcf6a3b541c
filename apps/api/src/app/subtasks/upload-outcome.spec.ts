import { SETTLED_OUTCOMES, settledOutcomeOf } from './upload-outcome';

describe('the settled outcome', () => {
  it("is the reply contract's outcomes and the API's own, once each", () => {
    expect([...SETTLED_OUTCOMES].sort()).toEqual([
      'ALREADY_STORED',
      'PUBLISH_FAILED',
      'REJECTED',
      'STORED',
      'TIMED_OUT',
      'UNKNOWN',
    ]);
  });

  it('reads a stored outcome as itself, and one this API does not know as UNKNOWN', () => {
    for (const outcome of SETTLED_OUTCOMES)
      expect(settledOutcomeOf(outcome)).toBe(outcome);
    expect(settledOutcomeOf('PARTIALLY_STORED')).toBe('UNKNOWN');
  });
});
