import { AvroSchemaParser } from '@asyncapi/avro-schema-parser';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { readAllTypesFixture, TEST_FORMAT } from '../fixtures/fixture-sources';
import {
  ASYNCAPI_FILE,
  generateContracts,
  type SchemaSources,
} from './generate';

const parser = new Parser();
parser.registerSchemaParser(AvroSchemaParser());

async function documentOf(sources: SchemaSources): Promise<string> {
  const files = await generateContracts(sources, { format: TEST_FORMAT });
  const file = files.find(({ path }) => path === ASYNCAPI_FILE);
  if (file === undefined) throw new Error(`${ASYNCAPI_FILE} not generated`);
  return file.content;
}

async function parsed(text: string) {
  const { document, diagnostics } = await parser.parse(text);
  const problems = diagnostics
    .filter(({ severity }) => severity <= DiagnosticSeverity.Warning)
    .map(({ message, path }) => `${path.join('.')}: ${message}`);
  expect(problems).toEqual([]);
  if (document === undefined) throw new Error('the parser gave no document');
  return document;
}

describe('the AsyncAPI document of the all-types fixture', () => {
  let sources: SchemaSources;
  let text: string;

  beforeAll(async () => {
    sources = await readAllTypesFixture();
    text = await documentOf(sources);
  });

  it('is a valid AsyncAPI 3 document, Avro payloads included', async () => {
    const document = await parsed(text);

    expect(document.version()).toBe('3.1.0');
    expect(
      document
        .channels()
        .all()
        .map((channel) => channel.address())
        .sort(),
    ).toEqual([
      'KITCHEN_SINK',
      'START_JOB',
      'START_JOB.dlq',
      'START_JOB.reply',
    ]);
  });

  it("gives each app its operations, a command's with the reply channel", async () => {
    const document = await parsed(text);
    const operations = document
      .operations()
      .all()
      .map((operation) => ({
        id: operation.id(),
        action: operation.action(),
        address: operation.channels().all()[0]?.address(),
        reply: operation.reply()?.channel()?.address(),
      }));

    expect(operations).toEqual([
      {
        id: 'job-runner.send.KitchenSink',
        action: 'send',
        address: 'KITCHEN_SINK',
        reply: undefined,
      },
      {
        id: 'auditor.receive.KitchenSink',
        action: 'receive',
        address: 'KITCHEN_SINK',
        reply: undefined,
      },
      {
        id: 'scheduler.receive.KitchenSink',
        action: 'receive',
        address: 'KITCHEN_SINK',
        reply: undefined,
      },
      {
        id: 'scheduler.send.StartJob',
        action: 'send',
        address: 'START_JOB',
        reply: 'START_JOB.reply',
      },
      {
        id: 'job-runner.receive.StartJob',
        action: 'receive',
        address: 'START_JOB',
        reply: 'START_JOB.reply',
      },
      {
        id: 'job-runner.send.StartJobDeadLetter',
        action: 'send',
        address: 'START_JOB.dlq',
        reply: undefined,
      },
    ]);
  });

  it('carries each schema as written, with its key and headers', () => {
    const json = JSON.parse(text);
    const startJob = json.components.messages.StartJob;

    expect(startJob.payload).toEqual({
      schemaFormat: 'application/vnd.apache.avro;version=1.9.0',
      schema: JSON.parse(sources.schemas.get('start-job.avsc') ?? ''),
    });
    expect(startJob.bindings.kafka.key.description).toContain('jobId');
    expect(startJob.correlationId.location).toBe(
      '$message.header#/kafka_correlationId',
    );
    expect(Object.keys(startJob.headers.properties)).toEqual([
      'x-request-id',
      'traceparent',
      'tracestate',
      'kafka_correlationId',
      'kafka_replyTopic',
      'kafka_replyPartition',
    ]);
    expect(
      Object.keys(
        json.components.messages.StartJobDeadLetter.headers.properties,
      ),
    ).toEqual(
      expect.arrayContaining(['x-dead-letter-reason', 'x-dead-letter-code']),
    );
  });

  it('changes with the schemas, its version with it', async () => {
    const schema = JSON.parse(
      sources.schemas.get('start-job-reply.avsc') ?? '',
    );
    schema.fields.push({ name: 'note', type: 'string', default: '' });
    const changed = await documentOf({
      ...sources,
      schemas: new Map([
        ...sources.schemas,
        ['start-job-reply.avsc', JSON.stringify(schema)],
      ]),
    });
    const before = JSON.parse(text);
    const after = JSON.parse(changed);

    expect(
      after.components.messages.StartJobReply.payload.schema.fields.at(-1),
    ).toEqual({ name: 'note', type: 'string', default: '' });
    expect(after.info.version).not.toBe(before.info.version);
    expect(await documentOf(sources)).toBe(text);
  });
});
