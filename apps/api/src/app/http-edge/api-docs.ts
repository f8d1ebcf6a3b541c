import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  type OpenAPIObject,
  SwaggerModule,
} from '@nestjs/swagger';
import type { ApiEnvironment } from '../config/api-environment';
import { OPEN_CONTROLLER_PATHS } from './open-routes';

export const DOCS_PATH = 'docs';

/** The UI at /docs and the documents at /docs-json and /docs-yaml. */
export const DOCS_ROUTES = [
  DOCS_PATH,
  `${DOCS_PATH}-json`,
  `${DOCS_PATH}-yaml`,
].map((route) => `/${route}`);

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
