import { stackDown, stackStatus, stackUp } from '@subtasks/tool-stack';
import { sleep } from '../../support/app-process';

/*
 * Faults of the default stack's servers, through the stack's own commands. Whatever a scenario
 * stops, `restoreStack` (also run after every scenario, pass or fail) brings back.
 */

const quiet = { log: () => undefined };

async function kafkaPid(): Promise<number | undefined> {
  const kafka = (await stackStatus()).find((s) => s.name === 'kafka');
  return kafka?.state === 'running' ? kafka.pid : undefined;
}

/** kill -9 of the default stack's broker (its process group); resolves once it is gone. */
export async function killKafka(): Promise<number> {
  const pid = await kafkaPid();
  if (pid === undefined)
    throw new Error('the default stack has no running Kafka to kill');
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    process.kill(pid, 'SIGKILL');
  }
  const deadline = Date.now() + 10_000;
  while (
    (await stackStatus()).some(
      (s) => s.name === 'kafka' && s.state !== 'stopped',
    )
  ) {
    if (Date.now() > deadline)
      throw new Error(`Kafka (pid ${pid}) survived SIGKILL`);
    await sleep(50);
  }
  return pid;
}

export async function stopRegistry(): Promise<void> {
  await stackDown({ ...quiet, servers: ['registry'] });
}

/** Starts whatever of the default stack is not running, and waits until it is ready. */
export async function restoreStack(): Promise<void> {
  await stackUp(quiet);
}

/** True when Kafka and the registry both run: the state every scenario starts from. */
export async function stackRunning(): Promise<boolean> {
  const statuses = await stackStatus();
  return ['kafka', 'registry'].every((name) =>
    statuses.some((s) => s.name === name && s.state === 'running'),
  );
}
