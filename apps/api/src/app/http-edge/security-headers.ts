import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * Helmet's defaults everywhere. The two documentation pages are the only HTML this app serves: their
 * scripts, styles and data: images are all allowed by those defaults, but `upgrade-insecure-requests`
 * would make a browser fetch their assets over https from this plain-http server (a blank page on any
 * non-localhost host), so that one directive is dropped there. The AsyncAPI page also needs
 * `'unsafe-eval'`: its renderer validates the document with ajv, which compiles validators with
 * `new Function`. Its scripts are this app's own files; no page takes an inline script.
 */
export function securityHeaders(paths: {
  readonly docs: string;
  readonly asyncApiPage: string;
}): RequestHandler {
  const forApi = helmet();
  const forDocs = helmet({
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
  const forAsyncApiPage = helmet({
    contentSecurityPolicy: {
      directives: {
        upgradeInsecureRequests: null,
        scriptSrc: ["'self'", "'unsafe-eval'"],
      },
    },
  });
  const docsPrefix = `/${paths.docs}`.toLowerCase();
  const asyncApiPage = `/${paths.asyncApiPage}`.toLowerCase();
  const pick = (path: string): RequestHandler => {
    const lower = path.toLowerCase();
    if (lower === asyncApiPage || lower.startsWith(`${asyncApiPage}/`))
      return forAsyncApiPage;
    return lower.startsWith(docsPrefix) ? forDocs : forApi;
  };
  return (request: Request, response: Response, next: NextFunction) =>
    pick(request.path)(request, response, next);
}
