import { createConnection, createServer } from 'node:net';

/** True when something accepts a TCP connection on host:port within `timeoutMs`. */
export function isPortAnswering(
  host: string,
  port: number,
  timeoutMs = 1_000,
): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const finish = (answering: boolean) => {
      socket.destroy();
      resolve(answering);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

export class ReadinessTimeoutError extends Error {
  override readonly name = 'ReadinessTimeoutError';
}

export interface WaitOptions {
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Checked between attempts: a reason to give up early (e.g. the process died), or undefined. */
  abortReason?: () => string | undefined;
}

/** Retries `probe` until it succeeds or the timeout passes; the last failure is in the error. */
export async function waitUntilReady<T>(
  probe: () => Promise<T>,
  options: WaitOptions,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      lastError = error;
    }
    const abort = options.abortReason?.();
    if (abort !== undefined)
      throw new ReadinessTimeoutError(`${options.what}: ${abort}`);
    if (Date.now() >= deadline) {
      const cause =
        lastError instanceof Error ? lastError.message : String(lastError);
      throw new ReadinessTimeoutError(
        `${options.what} did not answer within ${Math.round(options.timeoutMs / 1000)} s (last error: ${cause})`,
      );
    }
    await sleep(options.intervalMs ?? 500);
  }
}

/** A port on 127.0.0.1 that was free a moment ago (for a process under test). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no free port')),
      );
    });
  });
}
