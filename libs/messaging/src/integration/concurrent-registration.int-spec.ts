import { ContractRegistry } from '../lib/registry/contract-registry';
import { REGISTRY, runId } from '../testing/local-stack';
import {
  compatibilityLevelOf,
  deleteSubjectPermanently,
  versionsOf,
} from '../testing/registry-admin';
import { retargetedContracts } from '../testing/retargeted-contracts';

/**
 * Both apps register their contracts at boot. Started together against a fresh registry, they race
 * to create each subject's compatibility rule; the real registry answers the loser with 409, which
 * once stopped the second app's boot.
 */

const ROUNDS = 4;
const PROCESSES = 4;
const subjects: string[] = [];

afterAll(async () => {
  for (const subject of subjects) await deleteSubjectPermanently(subject);
});

it('registers the same contract from several processes at once on a fresh subject: one level, one version, one id', async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const { Command } = retargetedContracts(`${runId()}-race${round}`, {
      ownSubjects: true,
    });
    subjects.push(Command.subject);
    const registries = Array.from(
      { length: PROCESSES },
      () => new ContractRegistry({ connection: REGISTRY, mode: 'register' }),
    );

    const registered = await Promise.all(
      registries.map((registry) => registry.register(Command)),
    );

    expect(new Set(registered.map((r) => r.id)).size).toBe(1);
    expect(registered.map((r) => r.compatibility)).toEqual(
      Array(PROCESSES).fill(Command.compatibility),
    );
    expect(await compatibilityLevelOf(Command.subject)).toBe(
      Command.compatibility,
    );
    expect(await versionsOf(Command.subject)).toEqual([1]);
    await Promise.all(registries.map((registry) => registry.close()));
  }
}, 60_000);
