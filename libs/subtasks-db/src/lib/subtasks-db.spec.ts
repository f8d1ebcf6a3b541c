import { subtasksDb } from './subtasks-db';

describe('subtasksDb', () => {
  it('should work', () => {
    expect(subtasksDb()).toEqual('subtasks-db');
  });
});
