/**
 * Runs the case table against the real Schema Registry (Apicurio, Confluent
 * API) and asserts that the offline checker agrees with it on every verdict
 * and, where the registry explains a rejection, on every rule location.
 * Needs the local stack (`npm run stack:up`); fails if the registry is down.
 */
import { randomBytes } from 'node:crypto';
import { HISTORY_CASES, SCHEMA_CASES, type SchemaCase } from './cases';
import { checkCompatibility, checkLevel } from './lib/levels';
import { checkRegistration } from './lib/registration';
import {
  COMPATIBILITY_LEVELS,
  type CompatibilityLevel,
  type JsonValue,
} from './lib/model';

const REGISTRY_URL =
  process.env['SCHEMA_REGISTRY_URL'] ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const RUN_ID = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

interface RegistryResponse {
  readonly status: number;
  readonly body: unknown;
}

async function registry(
  method: string,
  path: string,
  body?: unknown,
): Promise<RegistryResponse> {
  const response = await fetch(`${REGISTRY_URL}${path}`, {
    method,
    headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
  };
}

function expectStatus(
  response: RegistryResponse,
  status: number,
  what: string,
): void {
  if (response.status !== status) {
    throw new Error(
      `${what}: expected HTTP ${status}, got ${response.status} ${JSON.stringify(response.body)}`,
    );
  }
}

const subjectPath = (subject: string): string =>
  `/subjects/${encodeURIComponent(subject)}`;

const createdSubjects = new Set<string>();

async function register(
  subject: string,
  schema: JsonValue,
): Promise<RegistryResponse> {
  createdSubjects.add(subject);
  return registry('POST', `${subjectPath(subject)}/versions`, {
    schema: JSON.stringify(schema),
    schemaType: 'AVRO',
  });
}

async function setLevel(
  subject: string,
  level: CompatibilityLevel,
): Promise<void> {
  const response = await registry(
    'PUT',
    `/config/${encodeURIComponent(subject)}`,
    {
      compatibility: level,
    },
  );
  expectStatus(response, 200, `PUT /config/${subject} ${level}`);
}

async function registryVerdict(
  subject: string,
  schema: JsonValue,
): Promise<boolean> {
  const response = await registry(
    'POST',
    `/compatibility${subjectPath(subject)}/versions/latest`,
    { schema: JSON.stringify(schema), schemaType: 'AVRO' },
  );
  expectStatus(response, 200, `compatibility check on ${subject}`);
  const verdict = (response.body as { is_compatible?: unknown }).is_compatible;
  if (typeof verdict !== 'boolean')
    throw new Error(`no is_compatible in ${JSON.stringify(response.body)}`);
  return verdict;
}

/**
 * Apicurio explains a rejected registration as
 * `... list of diff types: [<Java message> at <Java location>, ...]`.
 */
function diffsOf(rejection: RegistryResponse): string[] {
  const message = (rejection.body as { message?: unknown }).message;
  if (typeof message !== 'string')
    throw new Error(`no message in ${JSON.stringify(rejection.body)}`);
  const list = /list of diff types: \[(.*)\]\s*$/s.exec(message)?.[1];
  if (list === undefined)
    throw new Error(`unexpected rejection message: ${message}`);
  return [...list.matchAll(/(.*?) at (\/\S*)(?:, |$)/g)]
    .map((match) => `${match[1]} at ${match[2]}`)
    .sort();
}

function ourDiffs(reader: JsonValue, writer: JsonValue): string[] {
  const problems = checkCompatibility({ reader, writer }).incompatibilities;
  return [
    ...new Set(
      problems.map((problem) => `${problem.message} at ${problem.location}`),
    ),
  ].sort();
}

describe(`registry parity at ${REGISTRY_URL}`, () => {
  beforeAll(async () => {
    let response: RegistryResponse;
    try {
      response = await registry('GET', '/subjects');
    } catch (error) {
      throw new Error(
        `Schema Registry unreachable at ${REGISTRY_URL} (${(error as Error).message}); start it with npm run stack:up`,
      );
    }
    expectStatus(response, 200, 'GET /subjects');
  });

  afterAll(async () => {
    // The registry is shared with other tests: leave no subjects behind.
    for (const subject of createdSubjects) {
      await registry('DELETE', subjectPath(subject));
      await registry('DELETE', `${subjectPath(subject)}?permanent=true`);
    }
  });

  describe.each(
    SCHEMA_CASES.map((schemaCase) => [schemaCase.name, schemaCase] as const),
  )('%s', (name, schemaCase: SchemaCase) => {
    const subject = `schema-compat-parity-${RUN_ID}-${name}`;
    const registryVerdicts = new Map<CompatibilityLevel, boolean>();

    beforeAll(async () => {
      expectStatus(
        await register(subject, schemaCase.old),
        200,
        `register old ${name}`,
      );
    });

    it.each(COMPATIBILITY_LEVELS.map((level) => [level]))(
      'agrees under %s',
      async (level) => {
        await setLevel(subject, level);
        const verdict = await registryVerdict(subject, schemaCase.new);
        registryVerdicts.set(level, verdict);
        const ours = checkLevel({
          level,
          newSchema: schemaCase.new,
          previous: [schemaCase.old],
        });
        expect({
          level,
          checker: ours.compatible,
          table: schemaCase.expected[level],
        }).toEqual({
          level,
          checker: verdict,
          table: verdict,
        });
      },
    );

    it('reports the same rule locations and messages as the registry', async () => {
      const directions = [
        ['BACKWARD', schemaCase.new, schemaCase.old],
        ['FORWARD', schemaCase.old, schemaCase.new],
      ] as const;
      for (const [level, reader, writer] of directions) {
        if (registryVerdicts.get(level) !== false) continue;
        await setLevel(subject, level);
        const rejection = await register(subject, schemaCase.new);
        expectStatus(rejection, 409, `register new ${name} under ${level}`);
        expect({ level, diffs: ourDiffs(reader, writer) }).toEqual({
          level,
          diffs: diffsOf(rejection),
        });
      }
    });
  });

  describe.each(
    HISTORY_CASES.map(
      (historyCase) => [historyCase.name, historyCase] as const,
    ),
  )('history %s', (name, historyCase) => {
    it.each(COMPATIBILITY_LEVELS.map((level) => [level]))(
      'keeps the same versions and agrees under %s',
      async (level) => {
        // One subject per level: a successful registration adds a version.
        const subject = `schema-compat-parity-${RUN_ID}-${name}-${level.toLowerCase()}`;
        const [first, ...rest] = historyCase.previous;
        if (first === undefined)
          throw new Error(`${name} has no earlier version`);
        expectStatus(
          await register(subject, first),
          200,
          `register ${name} v1`,
        );
        await setLevel(subject, 'NONE');
        for (const version of rest)
          expectStatus(
            await register(subject, version),
            200,
            `register ${name}`,
          );
        const stored = await versionsOf(subject);
        await setLevel(subject, level);
        const lookup = await registry('POST', subjectPath(subject), {
          schema: JSON.stringify(historyCase.new),
          schemaType: 'AVRO',
        });
        const response = await register(subject, historyCase.new);
        if (response.status !== 200 && response.status !== 409) {
          expectStatus(response, 200, `register new ${name} under ${level}`);
        }
        const added = (await versionsOf(subject)).length - stored.length;
        const ours = checkRegistration({
          level,
          newSchema: historyCase.new,
          history: historyCase.previous,
        });
        const registryAnswer = {
          stored: stored.length,
          existing:
            lookup.status === 200
              ? (lookup.body as { version: number }).version
              : undefined,
          accepted: response.status === 200,
          added,
        };
        expect({
          level,
          checker: {
            stored: ours.stored.length,
            existing: ours.existing?.version,
            accepted: ours.compatible,
            added: ours.compatible && ours.existing === undefined ? 1 : 0,
          },
          table: {
            stored: historyCase.storedVersions,
            existing: historyCase.existingVersion,
            accepted: historyCase.expected[level],
            added:
              historyCase.expected[level] &&
              historyCase.existingVersion === undefined
                ? 1
                : 0,
          },
        }).toEqual({ level, checker: registryAnswer, table: registryAnswer });
      },
    );
  });
});

async function versionsOf(subject: string): Promise<number[]> {
  const response = await registry('GET', `${subjectPath(subject)}/versions`);
  expectStatus(response, 200, `GET versions of ${subject}`);
  return response.body as number[];
}
