import type { RegistryConfig } from './config';

/** One real request to the Confluent-compatible API: the subject list must answer 200. */
export async function listRegistrySubjects(
  config: RegistryConfig,
): Promise<string[]> {
  const response = await fetch(`${config.url}/subjects`, {
    signal: AbortSignal.timeout(5_000),
  });
  if (response.status !== 200) {
    throw new Error(`GET ${config.url}/subjects answered ${response.status}`);
  }
  return (await response.json()) as string[];
}
