/**
 * Bounds a graceful shutdown: once SIGTERM or SIGINT arrives, the process exits after `timeoutMs`
 * whatever is still draining (Nest's own handler does the draining, in order, meanwhile).
 */
export function enforceShutdownDeadline(
  timeoutMs: number,
  report: (message: string) => void = (message) => console.error(message),
): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        report(
          `shutdown took longer than SHUTDOWN_TIMEOUT_MS (${timeoutMs} ms); exiting now`,
        );
        process.exit(1);
      }, timeoutMs).unref();
    });
  }
}
