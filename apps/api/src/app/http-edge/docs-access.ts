import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ApiTokens } from './api-tokens';
import { bearerChallenge, unauthorizedBody } from './edge-errors';

/**
 * The OpenAPI UI and documents are served by Express, not by a Nest controller, so the global guard
 * does not see them; this applies the same bearer rule with the same 401.
 */
export function requireBearerToken(tokens: ApiTokens): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const check = tokens.check(request.headers.authorization);
    if (check.outcome === 'valid') return next();
    response
      .status(401)
      .setHeader('WWW-Authenticate', bearerChallenge(check.outcome))
      .json(unauthorizedBody(check.outcome));
  };
}
