import { CONTRACT_CLASSES, type ContractClass } from '@subtasks/contracts';
import { ASYNCAPI_DOCUMENT } from '@subtasks/contracts/asyncapi';
import {
  createMigratedDatabase,
  type TemporaryDatabase,
} from '@subtasks/subtasks-db/testing';
import {
  type AppProcess,
  CLEAN_STOP,
  eventually,
  startBothApps,
} from './support/app-process';
import { PlainProducer } from './support/kafka';
import { scrape, total } from './support/prometheus';

/*
 * The third contract test every message type gets without a test of its own: each app the
 * catalogue declares as a consumer (the `receive` operations of the generated AsyncAPI document)
 * decodes generated instances, written as any producer writes them, into its handler. The handler
 * is reached when the failure policy times it (`messaging_handler_duration_seconds`, by topic);
 * what the handler then decides (store, reject, park) is the app's own business, tested elsewhere.
 */

const INSTANCES = 5;
const HANDLED = 'messaging_handler_duration_seconds_count';

interface DeclaredConsumer {
  readonly app: string;
  readonly contract: ContractClass;
}

interface ReceiveOperation {
  readonly action: string;
  readonly tags?: readonly { readonly name: string }[];
  readonly messages: readonly { readonly $ref: string }[];
}

function declaredConsumers(): DeclaredConsumer[] {
  const operations = Object.values(
    ASYNCAPI_DOCUMENT['operations'] as Record<string, ReceiveOperation>,
  );
  return operations
    .filter((operation) => operation.action === 'receive')
    .flatMap((operation) =>
      operation.messages.map((message) => {
        const name = message.$ref.split('/').pop();
        const contract = CONTRACT_CLASSES.find((c) => c.messageName === name);
        const app = operation.tags?.[0]?.name;
        if (contract === undefined || app === undefined)
          throw new Error(`cannot read the receive operation of ${name}`);
        return { app, contract };
      }),
    );
}

let database: TemporaryDatabase;
let apps: AppProcess[] = [];
let urlOf: Readonly<Record<string, string>> = {};
const producer = new PlainProducer();

beforeAll(async () => {
  database = await createMigratedDatabase();
  const both = await startBothApps(database.url, { API_RATE_LIMIT: '0' });
  apps = [both.api, both.worker];
  urlOf = { api: both.apiUrl, 'subtask-worker': both.workerUrl };
  await producer.connect();
});

afterAll(async () => {
  await producer.disconnect();
  for (const app of apps) expect(await app.stop()).toMatchObject(CLEAN_STOP);
  await database?.drop();
});

describe('every declared consumer consumes its messages', () => {
  const consumers = declaredConsumers();

  it('reads the consumers from the AsyncAPI document', () => {
    expect(consumers.length).toBeGreaterThan(0);
    for (const { contract } of consumers)
      expect(contract.role).not.toBe('reply');
  });

  it.each(
    consumers.map(({ app, contract }) => [contract.messageName, app, contract]),
  )('%s reaches the handler of %s', async (_name, app, contract) => {
    const url = urlOf[app];
    if (url === undefined)
      throw new Error(
        `${app} consumes ${contract.messageName}, but this test does not start it: add it to startBothApps`,
      );
    const topic = { topic: contract.topic };
    const before = total(await scrape(url), HANDLED, topic);

    for (let index = 0; index < INSTANCES; index += 1) {
      const instance = contract.fromAvro(contract.schema.random());
      await producer.send(instance, instance.kafkaKey);
    }

    await eventually(
      async () => total(await scrape(url), HANDLED, topic) - before,
      (handled) => handled >= INSTANCES,
    ).catch((error: unknown) => {
      throw new Error(
        `${app} did not hand ${INSTANCES} generated ${contract.messageName} from ${contract.topic} to a handler: ${String(error)}`,
      );
    });
  });
});
