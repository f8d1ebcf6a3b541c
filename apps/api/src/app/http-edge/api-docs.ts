import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  type OpenAPIObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { ASYNCAPI_DOCUMENT } from '@subtasks/contracts/asyncapi';
import type { Request, Response } from 'express';
import type { ApiEnvironment } from '../config/api-environment';
import { ASYNCAPI_PAGE_ROUTES, serveAsyncApiPage } from './asyncapi-page';
import { OPEN_CONTROLLER_PATHS } from './open-routes';

export const DOCS_PATH = 'docs';

/** The messaging contract: every topic, message, schema and app operation, generated from schemas/. */
export const ASYNCAPI_PATH = 'asyncapi.json';

/** The UI at /docs, the documents at /docs-json and /docs-yaml, and the AsyncAPI document and page. */
export const DOCS_ROUTES = [
  ...[DOCS_PATH, `${DOCS_PATH}-json`, `${DOCS_PATH}-yaml`, ASYNCAPI_PATH].map(
    (route) => `/${route}`,
  ),
  ...ASYNCAPI_PAGE_ROUTES,
];

export function docsEnabled(
  env: Pick<ApiEnvironment, 'API_DOCS_ENABLED' | 'NODE_ENV'>,
): boolean {
  return env.API_DOCS_ENABLED ?? env.NODE_ENV !== 'production';
}

export function setUpApiDocs(
  app: INestApplication,
  { bearerAuth }: { bearerAuth: boolean },
): void {
  let config = new DocumentBuilder()
    .setTitle('Subtasks API')
    .setDescription(
      'Subtasks and the upload of their results to the subtask worker over Kafka.',
    );
  if (bearerAuth)
    config = config.addBearerAuth().addSecurityRequirements('bearer');
  const document = SwaggerModule.createDocument(app, config.build());
  SwaggerModule.setup(
    DOCS_PATH,
    app,
    bearerAuth ? withOpenRoutes(document) : document,
  );
  app
    .getHttpAdapter()
    .get(`/${ASYNCAPI_PATH}`, (_request: Request, response: Response) => {
      response.json(ASYNCAPI_DOCUMENT);
    });
  serveAsyncApiPage(app);
}

/** Open routes need no token: an empty security list overrides the document-wide requirement. */
function withOpenRoutes(document: OpenAPIObject): OpenAPIObject {
  for (const [path, operations] of Object.entries(document.paths)) {
    const controller = path.split('/')[1] ?? '';
    if (!OPEN_CONTROLLER_PATHS.includes(controller)) continue;
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = operations[method];
      if (operation) operation.security = [];
    }
  }
  return document;
}
