import { MAX_BODY_DEPTH, bodyShapeProblem } from './body-shape';

/** `{"field": [[…1…]]}`, `depth` levels in all (the body is level 1). */
function nestedUnder(field: string, depth: number): unknown {
  let value: unknown = 1;
  for (let level = 1; level < depth; level++) value = [value];
  return { [field]: value };
}

describe('bodyShapeProblem', () => {
  it('accepts a flat object and an empty one', () => {
    expect(bodyShapeProblem({ title: 'x' })).toBeUndefined();
    expect(bodyShapeProblem({})).toBeUndefined();
  });

  it.each([[[]], [[{ title: 'x' }]], ['x'], [42], [null], [true]])(
    'refuses %j: the body must be an object',
    (body) => {
      expect(bodyShapeProblem(body)).toEqual({
        message: 'the body must be a JSON object',
        fields: [],
      });
    },
  );

  it(`accepts ${MAX_BODY_DEPTH} levels and refuses ${MAX_BODY_DEPTH + 1}, naming the top-level field`, () => {
    expect(bodyShapeProblem(nestedUnder('a', MAX_BODY_DEPTH))).toBeUndefined();
    expect(bodyShapeProblem(nestedUnder('a', MAX_BODY_DEPTH + 1))).toEqual({
      message: `the body must be nested at most ${MAX_BODY_DEPTH} levels deep`,
      fields: ['a'],
    });
  });

  it('measures 50,000 levels without overflowing the stack', () => {
    const deep = JSON.parse(
      `{"title":${'['.repeat(50_000)}${']'.repeat(50_000)}}`,
    ) as unknown;
    expect(bodyShapeProblem(deep)).toMatchObject({ fields: ['title'] });
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses a %s key at any depth, naming the top-level field',
    (key) => {
      expect(
        bodyShapeProblem(JSON.parse(`{"title":"x","${key}":{"a":1}}`)),
      ).toEqual({ message: `property ${key} should not exist`, fields: [key] });
      expect(
        bodyShapeProblem(JSON.parse(`{"outer":[{"${key}":{"a":1}}]}`)),
      ).toEqual({
        message: `property ${key} should not exist`,
        fields: ['outer'],
      });
    },
  );

  it('lets such words through as values', () => {
    expect(
      bodyShapeProblem({ title: '__proto__', list: ['constructor'] }),
    ).toBeUndefined();
  });
});
