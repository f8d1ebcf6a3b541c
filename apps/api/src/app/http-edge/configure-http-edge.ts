import type { INestApplication } from '@nestjs/common';
import type { ApiEnvironment } from '../config/api-environment';
import { ApiTokens } from './api-tokens';
import { DOCS_PATH, DOCS_ROUTES, docsEnabled, setUpApiDocs } from './api-docs';
import { requireBearerToken } from './docs-access';
import { ASYNCAPI_PAGE_PATH } from './asyncapi-page';
import { securityHeaders } from './security-headers';

/**
 * The Express side of the HTTP edge: security headers, and the OpenAPI and AsyncAPI pages when
 * enabled (behind the bearer token when one is required). Must run before `listen`, so that helmet
 * precedes every route.
 */
export function configureHttpEdge(
  app: INestApplication,
  env: ApiEnvironment,
): void {
  app.use(
    securityHeaders({ docs: DOCS_PATH, asyncApiPage: ASYNCAPI_PAGE_PATH }),
  );
  if (!docsEnabled(env)) return;
  const tokens = app.get(ApiTokens);
  if (tokens.required) app.use(DOCS_ROUTES, requireBearerToken(tokens));
  setUpApiDocs(app, { bearerAuth: tokens.required });
}
