import {
  type ExecutionContext,
  SetMetadata,
  type CustomDecorator,
} from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import type { Reflector } from '@nestjs/core';

const PUBLIC_ROUTE = 'http-edge:public';

/**
 * Controllers declared outside this app (the health check lives in @subtasks/config) cannot carry
 * `@Public()`, so they are opened by their declared path. Matching the declaration, not the URL,
 * leaves no room for case, slash or query-string tricks.
 */
export const OPEN_CONTROLLER_PATHS: readonly string[] = ['health', 'metrics'];

/** A route served without a bearer token and without rate limit. */
export const Public = (): CustomDecorator => SetMetadata(PUBLIC_ROUTE, true);

export function isOpenRoute(
  context: ExecutionContext,
  reflector: Reflector,
): boolean {
  if (
    reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ])
  ) {
    return true;
  }
  const declared = reflector.get<string | string[] | undefined>(
    PATH_METADATA,
    context.getClass(),
  );
  const paths = Array.isArray(declared) ? declared : [declared];
  return paths.some(
    (path) =>
      path !== undefined &&
      OPEN_CONTROLLER_PATHS.includes(path.replace(/^\/+|\/+$/g, '')),
  );
}
