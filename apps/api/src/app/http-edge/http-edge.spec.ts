import { Controller, Get, type INestApplication, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { parseEnvironment } from '@subtasks/config';
import { ASYNCAPI_DOCUMENT } from '@subtasks/contracts/asyncapi';
import { JSDOM } from 'jsdom';
import { apiEnvironment } from '../config/api-environment';
import { configureHttpEdge } from './configure-http-edge';
import { HttpEdgeModule } from './http-edge.module';

/*
 * The whole edge in one Nest app over real HTTP: the global guards in their order, helmet and the
 * OpenAPI UI as main.ts sets them up. Controllers stand in for the app's and the health check.
 */

const TOKEN = 'token-a-0123456789abcdef';
const OTHER = 'token-b-0123456789abcdef';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

@Controller('subtasks')
class SubtasksLike {
  @Get()
  list(): { ok: true } {
    return { ok: true };
  }
}

@Controller('health')
class HealthLike {
  @Get()
  check(): { status: 'ok' } {
    return { status: 'ok' };
  }
}

@Module({ controllers: [SubtasksLike, HealthLike] })
class RoutesModule {}

let app: INestApplication | undefined;
let baseUrl: string;
const savedEnv = { ...process.env };

async function serve(variables: Record<string, string>): Promise<void> {
  const env = parseEnvironment(apiEnvironment, variables);
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot({
        isGlobal: true,
        ignoreEnvFile: true,
        validate: () => env,
      }),
      HttpEdgeModule,
      RoutesModule,
    ],
  }).compile();
  app = moduleRef.createNestApplication({ logger: false });
  configureHttpEdge(app, env);
  await app.listen(0, '127.0.0.1');
  baseUrl = await app.getUrl();
}

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

/** Reads every body: an unread one keeps its connection busy and `app.close()` waiting. */
async function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${baseUrl}${path}`, { headers });
  return {
    status: response.status,
    headers: response.headers,
    body: await response.text(),
  };
}

async function statuses(
  count: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push((await get(path, headers)).status);
  return seen;
}

afterEach(async () => {
  await app?.close();
  app = undefined;
  // ConfigModule copies validated values into process.env.
  process.env = { ...savedEnv };
});

describe('authentication', () => {
  beforeEach(() => serve({ API_TOKENS: `${TOKEN},${OTHER}` }));

  it('answers 401 UNAUTHORIZED with a Bearer challenge without a token', async () => {
    const response = await get('/subtasks');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(JSON.parse(response.body)).toEqual({
      statusCode: 401,
      code: 'UNAUTHORIZED',
      message: 'authentication required: send Authorization: Bearer <token>',
    });
  });

  it('answers 401 invalid_token to a wrong token without echoing it', async () => {
    const wrong = 'token-z-0123456789abcdef';
    const response = await get('/subtasks', bearer(wrong));
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token"',
    );
    expect(response.body).not.toContain(wrong);
  });

  it('serves a request with any configured token', async () => {
    expect(await statuses(1, '/subtasks', bearer(TOKEN))).toEqual([200]);
    expect(await statuses(1, '/subtasks', bearer(OTHER))).toEqual([200]);
  });

  it('keeps /health open', async () => {
    expect((await get('/health')).status).toBe(200);
  });
});

describe('without API_TOKENS', () => {
  it('stays open, as before authentication existed', async () => {
    await serve({});
    expect((await get('/subtasks')).status).toBe(200);
  });
});

describe('rate limit', () => {
  it('answers 429 RATE_LIMITED with Retry-After once a client spent its budget', async () => {
    await serve({
      API_TOKENS: `${TOKEN},${OTHER}`,
      API_RATE_LIMIT: '3',
      API_RATE_LIMIT_WINDOW_MS: '60000',
    });
    expect(await statuses(4, '/subtasks', bearer(TOKEN))).toEqual([
      200, 200, 200, 429,
    ]);
    const refused = await get('/subtasks', bearer(TOKEN));
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(JSON.parse(refused.body)).toEqual({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: expect.stringContaining('at most 3 requests per 60000 ms'),
    });
    // Another token is another client; health is never limited.
    expect(await statuses(3, '/subtasks', bearer(OTHER))).toEqual([
      200, 200, 200,
    ]);
    expect(await statuses(5, '/health')).toEqual([200, 200, 200, 200, 200]);
  });

  it('counts requests without a valid token against the IP, before authentication', async () => {
    await serve({ API_TOKENS: TOKEN, API_RATE_LIMIT: '2' });
    expect(
      await statuses(3, '/subtasks', bearer('token-z-0123456789abcdef')),
    ).toEqual([401, 401, 429]);
    expect(await statuses(1, '/subtasks')).toEqual([429]);
    // The token's own budget is untouched.
    expect(await statuses(1, '/subtasks', bearer(TOKEN))).toEqual([200]);
  });

  it('is off with API_RATE_LIMIT=0', async () => {
    await serve({ API_RATE_LIMIT: '0' });
    expect(new Set(await statuses(50, '/subtasks'))).toEqual(new Set([200]));
  });
});

describe('security headers and the OpenAPI UI', () => {
  it("sets helmet's headers on API responses", async () => {
    await serve({});
    const headers = (await get('/subtasks')).headers;
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(headers.get('content-security-policy')).toContain(
      "default-src 'self'",
    );
    expect(headers.get('x-powered-by')).toBeNull();
  });

  it('serves /docs and every script and stylesheet it loads, under a CSP that allows them', async () => {
    await serve({});
    const page = await get('/docs');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/style-src 'self'[^;]* 'unsafe-inline'/);
    expect(csp).toMatch(/img-src 'self' data:/);
    expect(csp).not.toContain('upgrade-insecure-requests');
    const html = page.body;
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)]
      .map(([, url]) => url)
      .filter((url) => !url.startsWith('http') && !url.startsWith('#'));
    expect(assets).toEqual(
      expect.arrayContaining([
        expect.stringContaining('swagger-ui-bundle.js'),
        expect.stringContaining('swagger-ui-init.js'),
        expect.stringContaining('swagger-ui.css'),
      ]),
    );
    for (const asset of assets) {
      // Resolved as a browser does, against the page's own URL.
      const response = await get(new URL(asset, `${baseUrl}/docs`).pathname);
      expect([asset, response.status]).toEqual([asset, 200]);
    }
    // No inline script: script-src 'self' (without 'unsafe-inline') is enough.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
  });

  it('protects /docs and its documents with the bearer token when one is required', async () => {
    await serve({ API_TOKENS: TOKEN });
    for (const path of [
      '/docs',
      '/docs/swagger-ui-init.js',
      '/docs-json',
      '/asyncapi.json',
      '/asyncapi',
      '/asyncapi/render.js',
      '/asyncapi/standalone.js',
    ]) {
      const response = await get(path);
      expect([path, response.status]).toEqual([path, 401]);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(JSON.parse(response.body)).toMatchObject({
        code: 'UNAUTHORIZED',
      });
    }
    const document = await get('/docs-json', bearer(TOKEN));
    expect(document.status).toBe(200);
    const openApi = JSON.parse(document.body) as {
      security: unknown;
      paths: Record<string, { get: { security?: unknown } }>;
    };
    expect(openApi.security).toEqual([{ bearer: [] }]);
    expect(openApi.paths['/health']?.get.security).toEqual([]);
    expect(openApi.paths['/subtasks']?.get.security).toBeUndefined();
  });

  it('serves the generated AsyncAPI document beside the OpenAPI one', async () => {
    await serve({});
    const answer = await get('/asyncapi.json');

    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(answer.body)).toEqual(ASYNCAPI_DOCUMENT);
  });

  it('serves the AsyncAPI page, and a browser renders every message of the document from it', async () => {
    await serve({});
    const page = await get('/asyncapi');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    // The renderer's parser compiles validators with new Function; nothing else gets that.
    expect(page.headers.get('content-security-policy')).toMatch(
      /script-src 'self' 'unsafe-eval'/,
    );
    expect(
      (await get('/subtasks')).headers.get('content-security-policy'),
    ).not.toMatch(/unsafe-eval/);
    expect(page.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);

    const dom = new JSDOM(page.body, {
      url: `${baseUrl}/asyncapi`,
      runScripts: 'outside-only',
      pretendToBeVisual: true,
    });
    const { window } = dom;
    const stylesheets = [
      ...window.document.querySelectorAll('link[rel="stylesheet"]'),
    ].map((link) => link.getAttribute('href') ?? '');
    for (const href of stylesheets) {
      const sheet = await get(href);
      expect([href, sheet.status]).toEqual([href, 200]);
      expect(sheet.headers.get('content-type')).toMatch(/^text\/css/);
    }
    withBrowserGlobals(window);
    const scripts = [...window.document.querySelectorAll('script')].map(
      (script) => script.getAttribute('src') ?? '',
    );
    expect(scripts).toHaveLength(2);
    for (const src of scripts) {
      const script = await get(src);
      expect([src, script.status]).toEqual([src, 200]);
      expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
      window.eval(script.body);
    }

    const names = Object.values(
      (ASYNCAPI_DOCUMENT as { components: { messages: object } }).components
        .messages,
    ).map((message) => (message as { name: string }).name);
    expect(names.length).toBeGreaterThan(0);
    const text = await renderedText(window, names);
    for (const name of names) expect(text).toContain(name);
    window.close();
  }, 30_000);

  it('serves no /docs in production unless API_DOCS_ENABLED=true', async () => {
    await serve({ NODE_ENV: 'production', API_TOKENS: TOKEN });
    expect((await get('/docs', bearer(TOKEN))).status).toBe(404);
    expect((await get('/docs-json', bearer(TOKEN))).status).toBe(404);
    expect((await get('/asyncapi.json', bearer(TOKEN))).status).toBe(404);
    expect((await get('/asyncapi', bearer(TOKEN))).status).toBe(404);
    await app?.close();

    await serve({
      NODE_ENV: 'production',
      API_TOKENS: TOKEN,
      API_DOCS_ENABLED: 'true',
    });
    expect((await get('/docs', bearer(TOKEN))).status).toBe(200);
  });
});

/** What jsdom leaves out of a browser and the renderer's bundle uses: Node's own implementations. */
function withBrowserGlobals(window: JSDOM['window']): void {
  const globals = window as unknown as Record<string, unknown>;
  for (const name of [
    'fetch',
    'Headers',
    'Request',
    'Response',
    'TextDecoder',
    'TextEncoder',
  ] as const) {
    globals[name] ??= globalThis[name];
  }
  globals['ResizeObserver'] ??= class {
    observe(): void {
      // jsdom lays nothing out: there is never a size to report.
    }
    unobserve(): void {
      // nothing observed
    }
    disconnect(): void {
      // nothing observed
    }
  };
}

/** The page's text once every name shows (the renderer parses the document asynchronously). */
async function renderedText(
  window: JSDOM['window'],
  names: readonly string[],
): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const text = window.document.body.textContent ?? '';
    if (names.every((name) => text.includes(name)) || Date.now() > deadline)
      return text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
