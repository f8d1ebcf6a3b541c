import { newClusterId, scramArguments } from './kafka-nodes';

describe('scramArguments', () => {
  it('adds one SCRAM-SHA-512 user per --add-scram', () => {
    expect(
      scramArguments([
        { name: 'admin', password: 'A1' },
        { name: 'app', password: 'B2' },
      ]),
    ).toEqual([
      '--add-scram',
      'SCRAM-SHA-512=[name=admin,password=A1]',
      '--add-scram',
      'SCRAM-SHA-512=[name=app,password=B2]',
    ]);
  });
});

describe('newClusterId', () => {
  it('is 22 base64url characters, like StorageTool random-uuid', () => {
    expect(newClusterId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('never starts with "-", which StorageTool would read as an option', () => {
    const draws = [Buffer.alloc(16, 0xfb), Buffer.alloc(16, 0x01)];

    expect(newClusterId(() => draws.shift() as Buffer)).toBe(
      Buffer.alloc(16, 0x01).toString('base64url'),
    );
  });
});
