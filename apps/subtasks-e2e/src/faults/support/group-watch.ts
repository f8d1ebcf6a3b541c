import { KAFKA_IDS } from '@subtasks/contracts';
import { sleep } from '../../support/app-process';
import { withAdmin } from './topics';

/** Every consumer group the apps join: the worker's, the api's events and its replies. */
const GROUP_IDS = [
  KAFKA_IDS.workerGroupId,
  KAFKA_IDS.apiGroupId,
  `${KAFKA_IDS.apiGroupId}-client`,
];

/**
 * The apps' group and topic names are fixed, so another test on the same stack would share this
 * scenario's commands, events or replies. This watch notes every member not started by the
 * scenario (whose apps use `clientIdPrefix`): a scenario that had company cannot be judged.
 */
export class GroupWatch {
  private readonly strangers = new Set<string>();
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(private readonly clientIdPrefix: string) {
    this.done = this.poll();
  }

  async stop(): Promise<string[]> {
    this.stopped = true;
    await this.done;
    return [...this.strangers];
  }

  private async poll(): Promise<void> {
    while (!this.stopped) {
      try {
        const { groups } = await withAdmin((admin) =>
          admin.describeGroups(GROUP_IDS),
        );
        for (const group of groups)
          for (const member of group.members)
            if (!member.clientId.startsWith(this.clientIdPrefix))
              this.strangers.add(
                `${group.groupId}: ${member.clientId} from ${member.clientHost}`,
              );
      } catch {
        // The broker may be down in this very scenario.
      }
      await sleep(500);
    }
  }
}

/** Set once a wait ran out: later scenarios look once instead of waiting again in vain. */
let crowded = false;

/**
 * Waits until no process outside this suite consumes in the apps' groups (other tests on the same
 * stack): a foreign worker would take this scenario's commands, a foreign api its events.
 */
export async function waitForIdleGroups(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + (crowded ? 0 : timeoutMs);
  for (;;) {
    const described = await withAdmin((admin) =>
      admin.describeGroups(GROUP_IDS),
    );
    const busy = described.groups.filter((g) => g.members.length > 0);
    if (busy.length === 0) {
      crowded = false;
      return;
    }
    if (Date.now() > deadline) {
      crowded = true;
      throw new Error(
        `other consumers are in the apps' groups on this stack (${busy.map((g) => `${g.groupId}: ${g.members.length} member(s)`).join(', ')}); run the fault suite alone`,
      );
    }
    await sleep(1_000);
  }
}
