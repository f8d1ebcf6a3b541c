const cleanups = new Set<() => Promise<void>>();
let interrupted = false;

/** Runs `cleanup` if the bench is interrupted while `work` runs (Ctrl-C must not leave apps or databases). */
export async function cleanedUpOnInterrupt<T>(
  cleanup: () => Promise<void>,
  work: () => Promise<T>,
): Promise<T> {
  cleanups.add(cleanup);
  try {
    return await work();
  } finally {
    cleanups.delete(cleanup);
  }
}

/** On SIGINT/SIGTERM: the registered cleanups (once, whatever signals follow), then exit 130. */
export function installInterruptCleanup(log: (line: string) => void): void {
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    log(
      'interrupted: stopping the apps, dropping the database, deleting the topics…',
    );
    void Promise.allSettled([...cleanups].map((cleanup) => cleanup())).then(
      () => process.exit(130),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
