import { isTransitive, type OfflineSubject } from './check-subject';
import { RegistryError, type ReadOnlyRegistry } from './registry';
import type { RegistryVerdict, RegistryVersionVerdict } from './report';

/**
 * Asks the registry about one changed or new subject, read-only: the level it
 * applies, its versions, and `/compatibility` against `latest` (or against
 * every version under a transitive level: Apicurio's `latest` endpoint checks
 * only the latest version whatever the level). The registry's verdict is
 * compared with the offline one under the registry's own level, so a level
 * the pull request is about to change is not mistaken for a checker bug.
 */
export async function checkSubjectInRegistry(
  registry: ReadOnlyRegistry,
  registered: ReadonlySet<string>,
  subject: OfflineSubject,
): Promise<RegistryVerdict> {
  const { current } = subject.plan;
  if (
    current === undefined ||
    (subject.change !== 'changed' && subject.change !== 'new')
  )
    return { status: 'not-asked' };
  const name = subject.plan.subject;
  if (!registered.has(name)) return { status: 'not-registered' };

  const [level, versions] = await Promise.all([
    registry.level(name),
    registry.versions(name),
  ]);
  const latestVersion = versions[versions.length - 1];
  if (latestVersion === undefined) return { status: 'not-registered' };

  let verdicts: RegistryVersionVerdict[];
  try {
    verdicts = isTransitive(level)
      ? await Promise.all(
          versions.map(async (version) => ({
            version,
            compatible: await registry.isCompatible(
              name,
              version,
              current.text,
            ),
          })),
        )
      : [
          {
            version: 'latest',
            compatible: await registry.isCompatible(
              name,
              'latest',
              current.text,
            ),
          },
        ];
  } catch (error) {
    if (error instanceof RegistryError && error.status === 422)
      return { status: 'rejected', message: error.message };
    throw error;
  }
  const compatible = verdicts.every((verdict) => verdict.compatible);
  const offlineUnderLevel = subject.verdictUnder(level);
  return {
    status: 'checked',
    level,
    latestVersion,
    versions: verdicts,
    compatible,
    offlineUnderLevel,
    agrees: compatible === offlineUnderLevel,
  };
}
