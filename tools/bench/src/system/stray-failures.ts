const seen = new Map<string, number>();

/**
 * Keeps the run alive through rejections nobody handles (kafkajs and Nest leave some when the broker
 * goes away, and other people's tests restart it): they are counted and reported with the figures,
 * which show the failed calls.
 */
export function collectStrayFailures(log: (line: string) => void): void {
  process.on('unhandledRejection', (reason: unknown) => {
    const message = reason instanceof Error ? reason.message : String(reason);
    if (!seen.has(message))
      log(`  unhandled rejection (kept running): ${message}`);
    seen.set(message, (seen.get(message) ?? 0) + 1);
  });
}

export function strayFailures(): string[] {
  return [...seen].map(
    ([message, count]) =>
      `unhandled rejection${count > 1 ? ` (${count}×)` : ''} during the run: ${message}`,
  );
}
