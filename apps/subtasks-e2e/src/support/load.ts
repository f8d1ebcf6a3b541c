import type { ApiClient } from './api-client';

/** One PUT of the load, and how the api answered it. */
export interface UploadAnswer {
  readonly subtaskId: string;
  readonly api: number;
  readonly wait: boolean;
  readonly status: number;
  readonly requestId?: string;
  readonly outcome?: string;
  /** ms since the load began. */
  readonly at: number;
  readonly error?: string;
  /** The first attempt's connection closed before any answer, and the PUT was sent again. */
  readonly retried?: boolean;
}

export interface LoadOptions {
  readonly apis: readonly ApiClient[];
  readonly subtaskIds: readonly string[];
  readonly inFlight: number;
  /** Called after each answer, with the answers so far (to inject faults at a point of the load). */
  readonly onAnswer?: (answers: readonly UploadAnswer[]) => void;
}

/**
 * A connection that closed before any answer (a kept-alive socket the api closed as it was reused,
 * which a stalled event loop makes likely): the request may or may not have been read.
 */
function closedBeforeAnswer(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  return (
    error instanceof TypeError &&
    ['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE'].includes(String(code))
  );
}

function describeFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })
    .cause;
  const detail = cause?.code ?? cause?.message;
  return `${(error as Error).message}${detail === undefined ? '' : ` (${String(detail)})`}`;
}

/**
 * Uploads every subtask once, alternating between the apis, with `?wait=true` on every other pair,
 * `inFlight` at a time; resolves with every answer (a request that failed at the HTTP level too).
 * Each PUT carries an Idempotency-Key, so one whose connection closed before any answer is sent
 * once more, as a real client would: the api answers a repeat with the same upload, never a second.
 */
export async function uploadAll(options: LoadOptions): Promise<UploadAnswer[]> {
  const began = Date.now();
  const answers: UploadAnswer[] = [];
  let next = 0;
  const one = async (index: number): Promise<void> => {
    const subtaskId = options.subtaskIds[index] as string;
    const api = index % options.apis.length;
    const wait = index % 4 < 2;
    const client = options.apis[api] as ApiClient;
    let retried = false;
    const put = () =>
      client.putResult<{ requestId?: string; outcome?: string }>(
        subtaskId,
        { isWorkerComplete: true },
        wait ? '?wait=true' : '',
        { 'idempotency-key': `load-${subtaskId}` },
      );
    try {
      const { status, body } = await put().catch((error: unknown) => {
        if (!closedBeforeAnswer(error)) throw error;
        retried = true;
        return put();
      });
      answers.push({
        subtaskId,
        api,
        wait,
        status,
        requestId: body.requestId,
        outcome: body.outcome,
        at: Date.now() - began,
        ...(retried ? { retried } : {}),
      });
    } catch (error) {
      answers.push({
        subtaskId,
        api,
        wait,
        status: 0,
        at: Date.now() - began,
        error: describeFailure(error),
        ...(retried ? { retried } : {}),
      });
    }
    options.onAnswer?.(answers);
  };
  const worker = async (): Promise<void> => {
    while (next < options.subtaskIds.length) await one(next++);
  };
  await Promise.all(Array.from({ length: options.inFlight }, worker));
  return answers;
}

/** The longest time between two successive answers that accepted an upload (200 or 202), in ms. */
export function longestStall(answers: readonly UploadAnswer[]): number {
  const times = answers
    .filter((a) => a.status === 200 || a.status === 202)
    .map((a) => a.at)
    .sort((a, b) => a - b);
  let longest = 0;
  for (let i = 1; i < times.length; i++)
    longest = Math.max(
      longest,
      (times[i] as number) - (times[i - 1] as number),
    );
  return longest;
}

export function countBy<T>(items: readonly T[], key: (item: T) => string) {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}
