import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { ApiTokens } from './api-tokens';
import { bearerChallenge, unauthorized } from './edge-errors';
import { isOpenRoute } from './open-routes';

/** Every HTTP route needs `Authorization: Bearer <token>` once API_TOKENS is set, except open routes. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly tokens: ApiTokens,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    // Kafka handlers of this hybrid app pass through global guards too; they are not HTTP clients.
    if (context.getType() !== 'http') return true;
    if (!this.tokens.required || isOpenRoute(context, this.reflector))
      return true;
    const http = context.switchToHttp();
    const check = this.tokens.check(
      http.getRequest<Request>().headers.authorization,
    );
    if (check.outcome === 'valid') return true;
    http
      .getResponse<Response>()
      .setHeader('WWW-Authenticate', bearerChallenge(check.outcome));
    throw unauthorized(check.outcome);
  }
}
