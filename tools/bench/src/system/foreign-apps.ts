import { KAFKA_IDS } from '@subtasks/contracts';
import { createKafka } from '@subtasks/messaging';
import { type Admin, logLevel } from 'kafkajs';
import type { BenchContext } from '../context';

/** The apps' consumer groups: the worker's commands, the api's completion events and its replies. */
const APP_GROUPS = [
  KAFKA_IDS.workerGroupId,
  KAFKA_IDS.apiGroupId,
  `${KAFKA_IDS.apiGroupId}-client`,
];
const WATCH_INTERVAL_MS = 1_000;
const ATTEMPTS = 3;

/**
 * Other api and worker processes on the same broker, seen as members of the apps' consumer groups
 * whose client id is not this run's (the bench starts its apps with KAFKA_CLIENT_ID = the run id). The
 * full path uses the apps' real topics and groups: another worker takes commands (and rejects them,
 * its database lacks the subtasks), another api takes completion events. Apps on another cluster, or
 * of another checkout on another broker, are no concern and are not seen.
 */
export class ForeignApps {
  private constructor(
    private readonly admin: Admin,
    private readonly ours: string,
  ) {}

  static async connect(context: BenchContext): Promise<ForeignApps> {
    const admin = createKafka(context.kafka, {
      clientId: context.runId,
      purpose: 'groups',
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    return new ForeignApps(admin, context.runId);
  }

  /** `group: client id (host)` of every member that is not this run's. */
  async list(): Promise<string[]> {
    const { groups } = await this.admin.describeGroups(APP_GROUPS);
    return groups.flatMap((group) =>
      group.members
        .filter((member) => !member.clientId.startsWith(this.ours))
        .map(
          (member) =>
            `${group.groupId}: ${member.clientId} (${member.clientHost})`,
        ),
    );
  }

  /** Waits until no other app is in the groups; `idle: false` when they still are after `timeoutMs`. */
  async waitUntilGone(
    timeoutMs: number,
    log: (line: string) => void,
  ): Promise<{ idle: true } | { idle: false; running: string[] }> {
    const deadline = Date.now() + timeoutMs;
    let reported = '';
    for (;;) {
      const running = await this.list();
      if (running.length === 0) return { idle: true };
      if (Date.now() >= deadline) return { idle: false, running };
      const now = running.join('; ');
      if (now !== reported) {
        log(
          `  waiting (up to ${Math.round((deadline - Date.now()) / 1000)} s) for other api/worker processes to leave the apps' groups: ${now}`,
        );
        reported = now;
      }
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }

  /**
   * Runs one measurement while no other app is in the groups: waits for them first, and measures
   * again (up to 3 times) when one joined meanwhile — test suites start and stop apps within seconds.
   * The last attempt's figures come back either way, with what disturbed them.
   */
  async undisturbed<T>(options: {
    what: string;
    idleWaitMs: number;
    log: (line: string) => void;
    work: () => Promise<T>;
  }): Promise<{ value: T; disturbedBy: string[] }> {
    for (let attempt = 1; ; attempt++) {
      const idle = await this.waitUntilGone(options.idleWaitMs, options.log);
      if (!idle.idle)
        throw new ForeignAppsError(
          `other api/worker processes stayed in the apps' consumer groups for ${Math.round(options.idleWaitMs / 1000)} s: ${idle.running.join('; ')}`,
        );
      const { value, seen } = await this.watched(options.work);
      if (seen.length === 0 || attempt === ATTEMPTS)
        return { value, disturbedBy: seen };
      options.log(
        `  ${options.what}: other apps joined meanwhile (${seen.join('; ')}); measuring again`,
      );
    }
  }

  close(): Promise<void> {
    return this.admin.disconnect();
  }

  private async watched<T>(
    work: () => Promise<T>,
  ): Promise<{ value: T; seen: string[] }> {
    const seen = new Set<string>();
    let sampling: Promise<void> = Promise.resolve();
    const sample = () =>
      this.list().then(
        (members) => members.forEach((member) => seen.add(member)),
        () => undefined,
      );
    const timer = setInterval(() => {
      sampling = sampling.then(sample);
    }, WATCH_INTERVAL_MS);
    try {
      const value = await work();
      clearInterval(timer);
      await sampling.then(sample);
      return { value, seen: [...seen] };
    } finally {
      clearInterval(timer);
    }
  }
}

export class ForeignAppsError extends Error {
  override readonly name = 'ForeignAppsError';
}
