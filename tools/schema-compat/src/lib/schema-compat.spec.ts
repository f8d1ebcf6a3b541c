import { schemaCompat } from './schema-compat';

describe('schemaCompat', () => {
  it('should work', () => {
    expect(schemaCompat()).toEqual('schema-compat');
  });
});
