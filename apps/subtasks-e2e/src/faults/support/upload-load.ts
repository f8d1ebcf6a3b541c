import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';
import { sleep } from '../../support/app-process';

/** One upload of the load and how it was finally answered (status 0: no HTTP answer). */
export interface LoadAnswer {
  readonly subtaskId: string;
  readonly wait: boolean;
  readonly status: number;
  readonly code?: string;
  readonly requestId?: string;
  readonly outcome?: string;
  readonly resultVersion?: number | null;
  /** Epoch ms of the first attempt. */
  readonly sentAt: number;
  readonly answeredAt: number;
  /** Attempts beyond the first (connection errors, retried with the same Idempotency-Key). */
  readonly retries?: number;
  readonly error?: string;
}

export interface LoadOptions {
  /** The api's base URL. */
  readonly baseUrl: string;
  /** Each upload takes the next one; the load ends early when they run out. */
  readonly subtaskIds: readonly string[];
  readonly inFlight: number;
  readonly minUploads: number;
  /** The load goes on (past `minUploads`) until this resolves. */
  readonly until: Promise<unknown>;
  /** After every answer, with all answers so far (to inject a fault at a point of the load). */
  readonly onAnswer?: (answers: readonly LoadAnswer[]) => void;
}

/** Like a client honouring Retry-After, but short: the load must go on through the fault. */
const BACKOFF_MS = 200;
const ANSWER_TIMEOUT_MS = 30_000;
/** A keyed upload whose request got no answer is sent again, as a careful client would. */
const KEYED_ATTEMPTS = 40;
const RETRY_AFTER_MS = 300;

interface PutBody {
  requestId?: string;
  outcome?: string;
  resultVersion?: number | null;
  code?: string;
}

function parseBody(text: string): PutBody {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null
      ? (parsed as PutBody)
      : {};
  } catch {
    return {};
  }
}

/** The error and its cause (refused, reset, closed), duck-typed: undici's errors are of another realm than Jest's. */
function describeError(error: unknown): string {
  const field = (value: unknown, key: string): string | undefined => {
    const found: unknown =
      typeof value === 'object' && value !== null
        ? Reflect.get(value, key)
        : undefined;
    return typeof found === 'string' ? found : undefined;
  };
  const cause: unknown =
    typeof error === 'object' && error !== null
      ? Reflect.get(error, 'cause')
      : undefined;
  const parts = [
    field(error, 'code'),
    field(error, 'message') ?? String(error),
  ];
  const detail = [field(cause, 'code'), field(cause, 'message')];
  return [...parts, ...detail].filter((p) => p !== undefined).join(': ');
}

type Attempt = Omit<LoadAnswer, 'subtaskId' | 'wait' | 'sentAt'>;

async function attempt(
  pool: Pool,
  path: string,
  key: string | undefined,
): Promise<Attempt> {
  try {
    const response = await pool.request({
      method: 'PUT',
      path,
      headers: {
        'content-type': 'application/json',
        ...(key === undefined ? {} : { 'idempotency-key': key }),
      },
      body: '{"isWorkerComplete":true}',
      headersTimeout: ANSWER_TIMEOUT_MS,
      bodyTimeout: ANSWER_TIMEOUT_MS,
    });
    const body = parseBody(await response.body.text());
    return {
      status: response.statusCode,
      code: body.code,
      requestId: body.requestId,
      outcome: body.outcome,
      resultVersion: body.resultVersion,
      answeredAt: Date.now(),
    };
  } catch (error) {
    return { status: 0, answeredAt: Date.now(), error: describeError(error) };
  }
}

/**
 * One upload. Two in three carry an Idempotency-Key and are sent again (same key) while no answer
 * comes, so a request lost with a killed api is retried safely; the rest are sent once.
 */
async function upload(
  pool: Pool,
  subtaskId: string,
  index: number,
): Promise<LoadAnswer> {
  const wait = index % 4 < 2;
  const key = index % 3 === 2 ? undefined : randomUUID();
  const path = `/subtasks/${subtaskId}/result${wait ? '?wait=true' : ''}`;
  const sentAt = Date.now();
  let answer = await attempt(pool, path, key);
  let retries = 0;
  while (answer.status === 0 && key !== undefined && retries < KEYED_ATTEMPTS) {
    await sleep(RETRY_AFTER_MS);
    retries += 1;
    answer = await attempt(pool, path, key);
  }
  return { subtaskId, wait, sentAt, ...answer, retries };
}

/**
 * `inFlight` lanes, each uploading the next subtask as soon as its previous answer came (half of
 * them with `?wait=true`), backing off briefly after an answer that says "not now" (5xx, none). Ends
 * when `minUploads` are done and `until` has resolved, or the subtasks run out.
 */
export async function runUploadLoad(
  options: LoadOptions,
): Promise<{ answers: LoadAnswer[]; maxInFlight: number }> {
  // Idle connections are dropped well before the server's keep-alive timeout (5 s), so a request
  // never goes out on a socket the server is closing.
  const pool = new Pool(options.baseUrl, {
    connections: options.inFlight * 2,
    keepAliveTimeout: 1_000,
  });
  const answers: LoadAnswer[] = [];
  let released = false;
  void options.until.then(() => (released = true));
  let next = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const more = () =>
    next < options.subtaskIds.length &&
    (answers.length + inFlight < options.minUploads || !released);
  const lane = async (): Promise<void> => {
    while (more()) {
      const index = next++;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const answer = await upload(
        pool,
        options.subtaskIds[index] as string,
        index,
      );
      inFlight -= 1;
      answers.push(answer);
      options.onAnswer?.(answers);
      if (answer.status === 0 || answer.status >= 500) await sleep(BACKOFF_MS);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.inFlight }, lane));
  } finally {
    await pool.close();
  }
  return { answers, maxInFlight };
}
