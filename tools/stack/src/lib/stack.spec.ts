import { stack } from './stack';

describe('stack', () => {
  it('should work', () => {
    expect(stack()).toEqual('stack');
  });
});
