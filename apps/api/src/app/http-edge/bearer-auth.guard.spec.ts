import {
  Controller,
  type ExecutionContext,
  Get,
  HttpException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiTokens } from './api-tokens';
import { BearerAuthGuard } from './bearer-auth.guard';
import { Public } from './open-routes';

const TOKEN = 'token-a-0123456789abcdef';

@Controller('subtasks')
class SubtasksLike {
  @Get()
  list(): void {
    return;
  }

  @Public()
  @Get('open')
  open(): void {
    return;
  }
}

@Controller('health')
class HealthLike {
  @Get()
  check(): void {
    return;
  }
}

type Handler = keyof SubtasksLike | keyof HealthLike;

function contextFor(
  controller: typeof SubtasksLike | typeof HealthLike,
  handler: Handler,
  authorization?: string,
  type: 'http' | 'rpc' = 'http',
) {
  const headers = new Map<string, string>();
  const request = { headers: { authorization } };
  const response = {
    setHeader: (name: string, value: string) => headers.set(name, value),
  };
  const context = {
    getType: () => type,
    getClass: () => controller,
    getHandler: () =>
      (controller.prototype as unknown as Record<Handler, () => void>)[handler],
    switchToHttp: () => ({
      getRequest: () => request,
      getResponse: () => response,
    }),
  } as unknown as ExecutionContext;
  return { context, headers };
}

function rejection(run: () => unknown): HttpException {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpException) return error;
    throw error;
  }
  throw new Error('expected the guard to refuse');
}

describe('BearerAuthGuard', () => {
  const guard = new BearerAuthGuard(new ApiTokens([TOKEN]), new Reflector());

  it('lets every request through when no token is configured', () => {
    const open = new BearerAuthGuard(new ApiTokens([]), new Reflector());
    expect(open.canActivate(contextFor(SubtasksLike, 'list').context)).toBe(
      true,
    );
  });

  it('lets a request with a configured token through', () => {
    const { context } = contextFor(SubtasksLike, 'list', `Bearer ${TOKEN}`);
    expect(guard.canActivate(context)).toBe(true);
  });

  it('answers 401 UNAUTHORIZED with a Bearer challenge without a token', () => {
    const { context, headers } = contextFor(SubtasksLike, 'list');
    const error = rejection(() => guard.canActivate(context));
    expect(error.getStatus()).toBe(401);
    expect(error.getResponse()).toEqual({
      statusCode: 401,
      code: 'UNAUTHORIZED',
      message: expect.stringContaining('Authorization: Bearer'),
    });
    expect(headers.get('WWW-Authenticate')).toBe('Bearer');
  });

  it('answers 401 invalid_token to a wrong token, without echoing it', () => {
    const wrong = 'token-z-0123456789abcdef';
    const { context, headers } = contextFor(
      SubtasksLike,
      'list',
      `Bearer ${wrong}`,
    );
    const error = rejection(() => guard.canActivate(context));
    expect(error.getStatus()).toBe(401);
    expect(JSON.stringify(error.getResponse())).not.toContain(wrong);
    expect(headers.get('WWW-Authenticate')).toBe(
      'Bearer error="invalid_token"',
    );
  });

  it('keeps @Public() routes and the health controller open', () => {
    expect(guard.canActivate(contextFor(SubtasksLike, 'open').context)).toBe(
      true,
    );
    expect(guard.canActivate(contextFor(HealthLike, 'check').context)).toBe(
      true,
    );
  });

  it('does not guard the Kafka handlers of the hybrid app', () => {
    const { context } = contextFor(SubtasksLike, 'list', undefined, 'rpc');
    expect(guard.canActivate(context)).toBe(true);
  });
});
