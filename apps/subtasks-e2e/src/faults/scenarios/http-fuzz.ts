import {
  type FuzzItem,
  type FuzzRequest,
  malformedRequests,
} from '../../support/malformed-requests';
import { RawHttpClient, type RawResponse } from '../../support/raw-http';
import { SeededRandom } from '../../support/seeded-random';
import type { Scenario } from '../support/scenario';
import type { LoadAnswer } from '../support/upload-load';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20_261_130);
const REQUESTS = 10_000;
const IN_FLIGHT = 24;
const TARGETS = 20;
const PUTS_PER_GROUP = 20;

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // Malformed on purpose (e.g. a lone %): such a request is never an accepted upload.
    return segment;
  }
}

function asAnswer(
  item: FuzzRequest,
  response: RawResponse,
  sentAt: number,
): LoadAnswer {
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(response.text);
    if (typeof parsed === 'object' && parsed !== null)
      body = parsed as Record<string, unknown>;
  } catch {
    // not JSON: only the status counts
  }
  const upload = /^\/subtasks\/([^/?]+)\/result/.exec(item.path);
  const text = (key: string) =>
    typeof body[key] === 'string' ? (body[key] as string) : undefined;
  return {
    // Only an upload's answer carries a request id; other routes' answers count by status.
    subtaskId: upload?.[1] === undefined ? '' : decodePathSegment(upload[1]),
    wait: item.path.includes('wait=true'),
    status: response.status,
    code: text('code'),
    requestId: upload === null ? undefined : text('requestId'),
    outcome: text('outcome'),
    resultVersion:
      typeof body['resultVersion'] === 'number' ? body['resultVersion'] : null,
    sentAt,
    answeredAt: Date.now(),
    // Which request of the fuzz it was, for an answer that never came.
    error:
      response.error === undefined
        ? undefined
        : `${response.error} [${item.category}: ${item.method} ${item.path.slice(0, 80)}]`,
  };
}

async function fuzz(
  port: number,
  items: readonly FuzzItem[],
): Promise<LoadAnswer[]> {
  const http = new RawHttpClient(port);
  const answers: LoadAnswer[] = [];
  const send = async (request: FuzzRequest) => {
    const sentAt = Date.now();
    answers.push(asAnswer(request, await http.send(request), sentAt));
  };
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as FuzzItem;
      if ('requests' in item) await Promise.all(item.requests.map(send));
      else await send(item);
    }
  };
  try {
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  } finally {
    http.close();
  }
  return answers;
}

/**
 * 10,000 seeded malformed requests over every route (the generator of the HTTP fuzz test) while
 * the load runs: nothing 5xx but deliberate 503s, uploads among them accounted like the load's,
 * and the api still answers afterwards.
 */
export const httpFuzz: Scenario = {
  name: `http fuzz (${REQUESTS} requests)`,
  async inject({ system, afterAnswers, spareSubtaskIds, extraAnswers }) {
    await afterAnswers(300);
    const items = [
      ...malformedRequests(
        new SeededRandom(SEED),
        {
          existingIds: spareSubtaskIds.slice(0, TARGETS),
          concurrentIds: spareSubtaskIds.slice(TARGETS, 2 * TARGETS),
        },
        REQUESTS,
        PUTS_PER_GROUP,
      ),
    ];
    const answers = await fuzz(system.apiPort, items);
    if (answers.length !== REQUESTS)
      throw new Error(
        `the fuzz sent ${answers.length} requests, not ${REQUESTS}`,
      );
    const health = await fetch(`${system.baseUrl}/health`);
    if (health.status !== 200)
      throw new Error(
        `after the fuzz, /health answered ${health.status}: ${await health.text()}`,
      );
    const [afterwards] = spareSubtaskIds.slice(2 * TARGETS);
    const http = new RawHttpClient(system.apiPort);
    const request: FuzzRequest = {
      category: 'after the fuzz',
      method: 'PUT',
      path: `/subtasks/${afterwards}/result`,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"isWorkerComplete":true}'),
    };
    const sentAt = Date.now();
    const upload = asAnswer(request, await http.send(request), sentAt);
    http.close();
    if (upload.status !== 202)
      throw new Error(
        `after the fuzz, an upload was answered ${upload.status}`,
      );
    extraAnswers([...answers, upload]);
  },
};
