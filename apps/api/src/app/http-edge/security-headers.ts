import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * Helmet's defaults everywhere. The OpenAPI UI is the only HTML this app serves: its scripts, styles
 * and data: images are all allowed by those defaults, but `upgrade-insecure-requests` would make a
 * browser fetch its assets over https from this plain-http server (a blank page on any non-localhost
 * host), so that one directive is dropped there.
 */
export function securityHeaders(docsPath: string): RequestHandler {
  const forApi = helmet();
  const forDocs = helmet({
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
  const docsPrefix = `/${docsPath}`.toLowerCase();
  return (request: Request, response: Response, next: NextFunction) =>
    (request.path.toLowerCase().startsWith(docsPrefix) ? forDocs : forApi)(
      request,
      response,
      next,
    );
}
