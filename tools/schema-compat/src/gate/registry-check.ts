import { isTransitive, type OfflineSubject } from './check-subject';
import { compareHistories } from './history-compare';
import { RegistryError, type ReadOnlyRegistry } from './registry';
import type { RegistryVerdict, RegistryVersionVerdict } from './report';

/**
 * Asks the registry about one changed or new subject, read-only: the level it
 * applies, its versions, whether it already holds the schema (`POST
 * /subjects/{s}`: then registering adds no version and checks nothing), else
 * `/compatibility` against `latest` (or against every version under a
 * transitive level: Apicurio's `latest` endpoint checks only the latest
 * version whatever the level). Its answer is compared with the offline one
 * under the registry's own level, so a level the pull request is about to
 * change is not taken for a difference; its stored versions are compared
 * with the ones git's history gives, to say why the answers differ.
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

  const existingVersion = await registry.lookup(name, current.text);
  let verdicts: RegistryVersionVerdict[] = [];
  if (existingVersion === undefined) {
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
  }
  const compatible =
    existingVersion !== undefined ||
    verdicts.every((verdict) => verdict.compatible);
  const offline = subject.verdictUnder(level);
  const texts = await Promise.all(
    versions.map((version) => registry.schemaAt(name, version)),
  );
  const history = compareHistories({
    registry: versions.map((version, index) => ({
      version,
      text: texts[index] as string,
    })),
    modelled: subject.stored ?? [],
    level,
    newSchema: current.schema,
    registryExisting: existingVersion,
    modelledExisting: offline.existingVersion,
  });
  return {
    status: 'checked',
    level,
    latestVersion,
    versions: verdicts,
    ...(existingVersion === undefined ? {} : { existingVersion }),
    compatible,
    offline,
    history,
    agrees: compatible === offline.compatible,
  };
}
