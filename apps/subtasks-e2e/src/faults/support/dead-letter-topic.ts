import { type Admin, ConfigResourceTypes, ConfigSource } from 'kafkajs';
import { withAdmin } from './topics';

/** Topic-level overrides of `topic`, to put back after changing them. */
async function topicOverrides(admin: Admin, topic: string) {
  const described = await admin.describeConfigs({
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
    includeSynonyms: false,
  });
  return (described.resources[0]?.configEntries ?? [])
    .filter((entry) => entry.configSource === ConfigSource.TOPIC_CONFIG)
    .map((entry) => ({ name: entry.configName, value: entry.configValue }));
}

/**
 * Makes the broker refuse every write to `topic` (each record is over its size limit) until the
 * returned function puts its own settings back.
 */
export async function refuseWrites(
  topic: string,
): Promise<() => Promise<void>> {
  const overrides = await withAdmin((admin) => topicOverrides(admin, topic));
  const set = (configEntries: { name: string; value: string }[]) =>
    withAdmin((admin) =>
      admin.alterConfigs({
        validateOnly: false,
        resources: [
          { type: ConfigResourceTypes.TOPIC, name: topic, configEntries },
        ],
      }),
    );
  await set([
    ...overrides.filter((entry) => entry.name !== 'max.message.bytes'),
    { name: 'max.message.bytes', value: '16' },
  ]);
  return async () => {
    await set(overrides);
  };
}
