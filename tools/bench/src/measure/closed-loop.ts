import { performance } from 'node:perf_hooks';

/** One request of a path; `index` counts calls from 0 across all slots. */
export type Call = (index: number, slot: number) => Promise<void>;

export interface LoadSettings {
  readonly inFlight: number;
  readonly durationMs: number;
  /** Stop once this many calls have started (a finite supply, e.g. fresh subtasks). */
  readonly maxCalls?: number;
  /** A call still pending after this long counts as an error and its slot moves on. */
  readonly callTimeoutMs?: number;
}

export interface LoadResult {
  /** Calls that succeeded. */
  readonly calls: number;
  readonly errors: number;
  readonly seconds: number;
  readonly latenciesMs: number[];
  readonly firstError?: string;
  /** The supply (`maxCalls`) ran out before the duration did. */
  readonly exhausted: boolean;
}

const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/**
 * A closed loop: `inFlight` slots each start their next call as soon as the previous one settles,
 * until the duration is over. Latency is from the call's start to its settlement.
 */
export async function closedLoop(
  call: Call,
  settings: LoadSettings,
): Promise<LoadResult> {
  const timeoutMs = settings.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const latenciesMs: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let started = 0;
  let exhausted = false;
  const begin = performance.now();
  const end = begin + settings.durationMs;
  const slot = async (slotIndex: number): Promise<void> => {
    while (performance.now() < end) {
      if (settings.maxCalls !== undefined && started >= settings.maxCalls) {
        exhausted = true;
        return;
      }
      const index = started++;
      const t0 = performance.now();
      try {
        await withTimeout(call(index, slotIndex), timeoutMs);
        latenciesMs.push(performance.now() - t0);
      } catch (error) {
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(
    Array.from({ length: settings.inFlight }, (_, i) => slot(i)),
  );
  return {
    calls: latenciesMs.length,
    errors,
    seconds: (performance.now() - begin) / 1000,
    latenciesMs,
    ...(firstError === undefined ? {} : { firstError }),
    exhausted,
  };
}

/** Calls once at a time until one call succeeds: consumers joined, topics known, pools open. */
export async function untilReady(
  call: Call,
  what: string,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    try {
      await withTimeout(call(attempt, 0), 5_000);
      return;
    } catch (error) {
      last = error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  throw new Error(
    `${what} did not answer within ${timeoutMs} ms: ${last instanceof Error ? last.message : String(last)}`,
  );
}

export class CallTimeoutError extends Error {
  override readonly name = 'CallTimeoutError';
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new CallTimeoutError(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([promise, timedOut]).finally(() => clearTimeout(timer));
}
