import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request } from 'express';
import { ApiTokens } from './api-tokens';
import { rateLimited } from './edge-errors';
import { isOpenRoute } from './open-routes';

/**
 * One budget per client across all routes: an authenticated client is its token (by digest), anyone
 * else its IP. Runs before authentication, so guessing tokens spends the guesser's IP budget.
 */
@Injectable()
export class ClientRateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly tokens: ApiTokens,
  ) {
    super(options, storage, reflector);
  }

  protected override async shouldSkip(
    context: ExecutionContext,
  ): Promise<boolean> {
    return context.getType() !== 'http' || isOpenRoute(context, this.reflector);
  }

  protected override async getTracker(request: Request): Promise<string> {
    const check = this.tokens.required
      ? this.tokens.check(request.headers.authorization)
      : undefined;
    return check?.outcome === 'valid'
      ? `token:${check.clientKey}`
      : `ip:${await super.getTracker(request)}`;
  }

  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    throttlerName: string,
  ): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw rateLimited(detail.limit, detail.ttl, detail.timeToBlockExpire);
  }
}
