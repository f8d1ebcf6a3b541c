import { REGISTRY_URL } from './local-stack';

/** Confluent REST calls the library does not wrap, for tests that own their subjects. */
const CONFLUENT_CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

async function call(
  method: string,
  path: string,
  body?: object,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${REGISTRY_URL}${path}`, {
    method,
    headers: { 'Content-Type': CONFLUENT_CONTENT_TYPE },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, json: await response.json() };
}

function subjectPath(subject: string): string {
  return encodeURIComponent(subject);
}

/** The registry's verdict on `schemaJson` against the subject's latest version, under its level. */
export async function isCompatibleWithLatest(
  subject: string,
  schemaJson: string,
): Promise<boolean> {
  const { status, json } = await call(
    'POST',
    `/compatibility/subjects/${subjectPath(subject)}/versions/latest`,
    { schema: schemaJson },
  );
  if (status !== 200) {
    throw new Error(
      `Compatibility check on ${subject} failed: HTTP ${status} ${JSON.stringify(json)}`,
    );
  }
  return (json as { is_compatible: boolean }).is_compatible;
}

/** The compatibility level the subject has (Apicurio answers with the global one when unset). */
export async function compatibilityLevelOf(subject: string): Promise<string> {
  const { json } = await call('GET', `/config/${subjectPath(subject)}`);
  return (json as { compatibilityLevel: string }).compatibilityLevel;
}

/** The versions registered under the subject, oldest first. */
export async function versionsOf(subject: string): Promise<number[]> {
  const { status, json } = await call(
    'GET',
    `/subjects/${subjectPath(subject)}/versions`,
  );
  return status === 200 ? (json as number[]) : [];
}

/**
 * Deletes a subject as Confluent requires: soft first, then permanently (ids and level go too).
 * A subject that does not exist is fine; any other failure throws.
 */
export async function deleteSubjectPermanently(subject: string): Promise<void> {
  for (const query of ['', '?permanent=true']) {
    const { status, json } = await call(
      'DELETE',
      `/subjects/${subjectPath(subject)}${query}`,
    );
    if (status !== 200 && status !== 404) {
      throw new Error(
        `Deleting subject ${subject}${query} failed: HTTP ${status} ${JSON.stringify(json)}`,
      );
    }
  }
}

/** Registers `schemaJson` under the subject (a test's own) and answers with its global id. */
export async function registerSchemaText(
  subject: string,
  schemaJson: string,
): Promise<number> {
  const { status, json } = await call(
    'POST',
    `/subjects/${subjectPath(subject)}/versions`,
    { schema: schemaJson },
  );
  if (status !== 200) {
    throw new Error(
      `Registering under ${subject} failed: HTTP ${status} ${JSON.stringify(json)}`,
    );
  }
  return (json as { id: number }).id;
}
