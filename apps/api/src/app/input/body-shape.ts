/** Deeper bodies are refused before class-transformer and the validation pipe, which recurse. */
export const MAX_BODY_DEPTH = 32;

/** Keys that reach an object's prototype when copied naively. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface BodyShapeProblem {
  readonly message: string;
  /** The top-level field the problem is under; empty for the body itself. */
  readonly fields: readonly string[];
}

interface Pending {
  readonly value: unknown;
  readonly depth: number;
  readonly field: string;
}

/**
 * What is wrong with the shape of a parsed JSON body, or undefined: it must be an object, at most
 * MAX_BODY_DEPTH levels deep, without prototype keys. Walks with its own stack, so any depth that
 * fits the size limit is measured without overflowing the call stack.
 */
export function bodyShapeProblem(body: unknown): BodyShapeProblem | undefined {
  if (!isContainer(body) || Array.isArray(body))
    return { message: 'the body must be a JSON object', fields: [] };
  const pending: Pending[] = [{ value: body, depth: 1, field: '' }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth, field } = next;
    if (depth > MAX_BODY_DEPTH)
      return {
        message: `the body must be nested at most ${MAX_BODY_DEPTH} levels deep`,
        fields: [field],
      };
    for (const [key, child] of Object.entries(value as object)) {
      const topLevel = depth === 1 ? key : field;
      if (PROTOTYPE_KEYS.has(key) && !Array.isArray(value))
        return {
          message: `property ${key} should not exist`,
          fields: [topLevel],
        };
      if (isContainer(child))
        pending.push({ value: child, depth: depth + 1, field: topLevel });
    }
  }
  return undefined;
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
