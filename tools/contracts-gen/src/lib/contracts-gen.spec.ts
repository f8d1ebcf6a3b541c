import { contractsGen } from './contracts-gen';

describe('contractsGen', () => {
  it('should work', () => {
    expect(contractsGen()).toEqual('contracts-gen');
  });
});
