import type { ConfigInterface } from '@asyncapi/react-component';
import type { INestApplication } from '@nestjs/common';
import { ASYNCAPI_DOCUMENT } from '@subtasks/contracts/asyncapi';
import type { Request, Response } from 'express';

/** The messaging contract as a page, rendered by AsyncAPI's own React component. */
export const ASYNCAPI_PAGE_PATH = 'asyncapi';

const RENDERER = '@asyncapi/react-component';

/** The page's assets: the renderer's standalone bundle and stylesheet, served from its package. */
const ASSETS = {
  'standalone.js': {
    file: `${RENDERER}/browser/standalone/index.js`,
    type: 'text/javascript',
  },
  'default.min.css': {
    file: `${RENDERER}/styles/default.min.css`,
    type: 'text/css',
  },
} as const;

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Subtasks messaging (AsyncAPI)</title>
    <link rel="stylesheet" href="/${ASYNCAPI_PAGE_PATH}/default.min.css" />
  </head>
  <body>
    <div id="asyncapi"></div>
    <script src="/${ASYNCAPI_PAGE_PATH}/standalone.js"></script>
    <script src="/${ASYNCAPI_PAGE_PATH}/render.js"></script>
  </body>
</html>
`;

const RENDER_CONFIG: ConfigInterface = { show: { sidebar: true } };

/*
 * The document travels inside the script rather than being fetched by the page: a browser cannot
 * add the bearer token to a fetch the renderer makes, and no inline script is needed.
 */
const RENDER_SCRIPT = `AsyncApiStandalone.render(
  { schema: ${JSON.stringify(ASYNCAPI_DOCUMENT)}, config: ${JSON.stringify(RENDER_CONFIG)} },
  document.getElementById('asyncapi'),
);
`;

/** Every route of the page, for the docs' access rule and their security headers. */
export const ASYNCAPI_PAGE_ROUTES = [
  `/${ASYNCAPI_PAGE_PATH}`,
  ...['render.js', ...Object.keys(ASSETS)].map(
    (asset) => `/${ASYNCAPI_PAGE_PATH}/${asset}`,
  ),
];

export function serveAsyncApiPage(app: INestApplication): void {
  const http = app.getHttpAdapter();
  http.get(
    `/${ASYNCAPI_PAGE_PATH}`,
    (_request: Request, response: Response) => {
      response.type('html').send(PAGE);
    },
  );
  http.get(
    `/${ASYNCAPI_PAGE_PATH}/render.js`,
    (_request: Request, response: Response) => {
      response.type('text/javascript').send(RENDER_SCRIPT);
    },
  );
  for (const [name, { file, type }] of Object.entries(ASSETS)) {
    // Resolved from the bundle's own location at run time: webpack must not inline a 3 MB file.
    const path = nodeRequire().resolve(file);
    http.get(
      `/${ASYNCAPI_PAGE_PATH}/${name}`,
      (_request: Request, response: Response) => {
        response.type(type).sendFile(path, { maxAge: '1h' });
      },
    );
  }
}

declare const __non_webpack_require__: NodeJS.Require | undefined;

/** Node's own `require`, also inside the webpack bundle (which replaces `require` with its own). */
function nodeRequire(): NodeJS.Require {
  return typeof __non_webpack_require__ === 'function'
    ? __non_webpack_require__
    : require;
}
