import { spawn } from 'node:child_process';
import path from 'node:path';
import {
  createMigratedDatabase,
  type TemporaryDatabase,
} from '@subtasks/subtasks-db/testing';
import { ApiClient, type RawAnswer } from './support/api-client';
import { AppProcess, freePort, workspaceRoot } from './support/app-process';

/*
 * The HTTP edge of the built api as a real process: bearer tokens, rate limit, security headers, the
 * OpenAPI UI, and the production boot rule. HTTP-only instances (no completion consumer): nothing
 * here needs the worker.
 */

const MAIN_TOKEN = 'e2e-main-7c1f0a9d3b5e4f2a';
const LIMITED_TOKEN = 'e2e-limited-5d8e2b7a9c1f3e4d';
const WRONG_TOKEN = 'e2e-wrong-0f9e8d7c6b5a4f3e';
const RATE_LIMIT = 5;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

let database: TemporaryDatabase;
let port: number;
let api: AppProcess | undefined;
let anonymous: ApiClient;

async function startApi(env: Record<string, string>): Promise<void> {
  await api?.stop();
  api = await AppProcess.start(
    'api',
    {
      DATABASE_URL: database.url,
      PORT: String(port),
      CONSUME_COMPLETION_EVENTS: 'false',
      ...env,
    },
    `http://127.0.0.1:${port}/health`,
  );
}

async function statuses(
  client: ApiClient,
  count: number,
  route: string,
): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push((await client.raw(route)).status);
  return seen;
}

const json = (answer: RawAnswer): unknown => JSON.parse(answer.text);

/** Production, tokens required, documentation switched on. */
const startApiWithDocs = (): Promise<void> =>
  startApi({
    NODE_ENV: 'production',
    API_TOKENS: MAIN_TOKEN,
    API_DOCS_ENABLED: 'true',
  });

/** Every script and stylesheet a page loads, resolved against the page as a browser does. */
const assetsOf = (page: RawAnswer, pagePath: string): URL[] =>
  [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map(
    ([, url]) => new URL(url, `http://127.0.0.1:${port}${pagePath}`),
  );

interface BootFailure {
  code: number | null;
  output: string;
}

/** Runs the built api until it exits on its own; it must, since its configuration is refused. */
function bootUntilExit(env: Record<string, string>): Promise<BootFailure> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('API_')),
  );
  const child = spawn(
    process.execPath,
    [path.join(workspaceRoot, 'dist', 'apps', 'api', 'main.js')],
    {
      cwd: workspaceRoot,
      env: { ...inherited, PORT: String(port), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the api did not exit within 30 s:\n${output}`));
    }, 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

beforeAll(async () => {
  database = await createMigratedDatabase('subtasks_e2e_edge');
  port = await freePort();
  anonymous = new ApiClient(`http://127.0.0.1:${port}`);
});

afterAll(async () => {
  await api?.stop();
  await database?.drop();
});

describe('with API_TOKENS and a rate limit (development)', () => {
  const main = () => anonymous.as(bearer(MAIN_TOKEN));
  let subtaskId: string;

  beforeAll(async () => {
    await startApi({
      API_TOKENS: `${MAIN_TOKEN},${LIMITED_TOKEN}`,
      API_RATE_LIMIT: String(RATE_LIMIT),
      API_RATE_LIMIT_WINDOW_MS: '60000',
    });
    subtaskId = (await main().createSubtask('edge')).id;
  });

  it('answers 401 without a token and with a wrong one, and serves a right one', async () => {
    const missing = await anonymous.raw(`/subtasks/${subtaskId}`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(json(missing)).toEqual({
      statusCode: 401,
      code: 'UNAUTHORIZED',
      message: expect.any(String),
    });

    const wrong = await anonymous
      .as(bearer(WRONG_TOKEN))
      .raw(`/subtasks/${subtaskId}`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token"',
    );
    expect(json(wrong)).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(wrong.text).not.toContain(WRONG_TOKEN);

    expect(await main().subtask(subtaskId)).toMatchObject({
      id: subtaskId,
      title: 'edge',
    });
  });

  it.each(['/health', '/metrics'])(
    'keeps %s open and never rate limits it (probes and Prometheus scrape without a token)',
    async (path) => {
      const seen = await statuses(anonymous, RATE_LIMIT * 3, path);
      expect(new Set(seen)).toEqual(new Set([200]));
    },
  );

  it("sets helmet's security headers", async () => {
    const { headers } = await main().raw(`/subtasks/${subtaskId}`);
    expect(headers.get('content-security-policy')).toContain(
      "default-src 'self'",
    );
    expect(headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(headers.get('x-powered-by')).toBeNull();
  });

  it('answers 429 RATE_LIMITED with Retry-After once a token spent its budget, other clients unaffected', async () => {
    const limited = anonymous.as(bearer(LIMITED_TOKEN));
    expect(
      await statuses(limited, RATE_LIMIT, `/subtasks/${subtaskId}`),
    ).toEqual(Array(RATE_LIMIT).fill(200));

    const refused = await limited.raw(`/subtasks/${subtaskId}`);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(json(refused)).toEqual({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: expect.stringContaining(`at most ${RATE_LIMIT} requests`),
    });

    expect((await main().raw(`/subtasks/${subtaskId}`)).status).toBe(200);
  });

  it('counts requests without a valid token against the IP, so guessing tokens is limited too', async () => {
    const guesser = anonymous.as(bearer(WRONG_TOKEN));
    const seen = await statuses(guesser, RATE_LIMIT + 1, '/subtasks/x');
    expect(seen.at(-1)).toBe(429);
    expect(new Set(seen)).toEqual(new Set([401, 429]));
  });

  it('never writes a token to its log', () => {
    const log = api?.lines.map((line) => JSON.stringify(line)).join('\n');
    expect(log).toContain('request completed');
    for (const token of [MAIN_TOKEN, LIMITED_TOKEN, WRONG_TOKEN]) {
      expect(log).not.toContain(token);
    }
  });
});

describe('in production', () => {
  it('refuses to start without API_TOKENS, naming it and API_AUTH_DISABLED', async () => {
    const { code, output } = await bootUntilExit({ NODE_ENV: 'production' });
    expect(code).not.toBe(0);
    expect(output).toContain('API_TOKENS');
    expect(output).toContain('API_AUTH_DISABLED=true');
  });

  it('refuses a bad token list by position, never printing a token', async () => {
    const tooShort = 'e2e-short-9f8e';
    const { code, output } = await bootUntilExit({
      NODE_ENV: 'production',
      API_TOKENS: `${MAIN_TOKEN},${tooShort}`,
    });
    expect(code).not.toBe(0);
    expect(output).toMatch(/API_TOKENS: token 2 of 2 must be at least 16/);
    expect(output).not.toContain(MAIN_TOKEN);
    expect(output).not.toContain(tooShort);
  });

  it('serves no /docs unless API_DOCS_ENABLED=true', async () => {
    await startApi({ NODE_ENV: 'production', API_TOKENS: MAIN_TOKEN });
    const main = anonymous.as(bearer(MAIN_TOKEN));
    expect((await main.raw('/docs')).status).toBe(404);
    expect((await main.raw('/docs-json')).status).toBe(404);
    expect((await main.raw('/asyncapi')).status).toBe(404);
    expect((await anonymous.raw('/health')).status).toBe(200);
  });

  it('serves /docs with API_DOCS_ENABLED=true, behind the token, loadable under its CSP', async () => {
    await startApiWithDocs();
    expect((await anonymous.raw('/docs')).status).toBe(401);
    expect((await anonymous.raw('/docs-json')).status).toBe(401);

    const main = anonymous.as(bearer(MAIN_TOKEN));
    const page = await main.raw('/docs');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/style-src 'self'[^;]*'unsafe-inline'/);
    expect(csp).toMatch(/img-src 'self' data:/);
    expect(csp).not.toContain('upgrade-insecure-requests');
    // Every script is a same-origin file ('self'), none inline.
    expect(page.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);

    const assets = assetsOf(page, '/docs');
    expect(assets.map((url) => path.basename(url.pathname))).toEqual(
      expect.arrayContaining([
        'swagger-ui.css',
        'swagger-ui-bundle.js',
        'swagger-ui-standalone-preset.js',
        'swagger-ui-init.js',
      ]),
    );
    for (const asset of assets) {
      expect(asset.origin).toBe(`http://127.0.0.1:${port}`);
      const answer = await main.raw(asset.pathname);
      expect([asset.pathname, answer.status]).toEqual([asset.pathname, 200]);
    }
  });

  it('serves the AsyncAPI page with its renderer from the installed package, behind the token', async () => {
    await startApiWithDocs();
    expect((await anonymous.raw('/asyncapi')).status).toBe(401);

    const main = anonymous.as(bearer(MAIN_TOKEN));
    const page = await main.raw('/asyncapi');
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self' 'unsafe-eval'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(page.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);

    const assets = assetsOf(page, '/asyncapi');
    expect(assets.map((url) => url.pathname)).toEqual([
      '/asyncapi/default.min.css',
      '/asyncapi/standalone.js',
      '/asyncapi/render.js',
    ]);
    const answers = new Map<string, RawAnswer>();
    for (const asset of assets) {
      const answer = await main.raw(asset.pathname);
      expect([asset.pathname, answer.status]).toEqual([asset.pathname, 200]);
      answers.set(asset.pathname, answer);
    }
    // The built app found the renderer's own bundle, not a stand-in: it defines the global render.js calls.
    expect(answers.get('/asyncapi/standalone.js')?.text).toContain(
      'AsyncApiStandalone',
    );
    expect(answers.get('/asyncapi/render.js')?.text).toContain(
      'AsyncApiStandalone.render(',
    );
  });
});
