import { generateContracts, type SchemaSources } from './generate';
import { GeneratorError, type Problem } from './problems';

function recordSchema(name: string, fields: unknown[]): string {
  return JSON.stringify({
    type: 'record',
    name,
    namespace: 'com.example',
    fields,
  });
}

const ping = {
  name: 'Ping',
  file: 'ping.avsc',
  role: 'event',
  topic: 'PING',
  subject: 'PING-value',
  producer: 'pinger',
  consumers: ['ponger'],
};

function sourcesOf(
  messages: readonly object[],
  schemas: Readonly<Record<string, string>>,
): SchemaSources {
  return {
    catalogue: JSON.stringify({ kafka: { clientId: 'test' }, messages }),
    schemas: new Map(Object.entries(schemas)),
  };
}

/** A catalogue with one event, Ping, whose fields are given. */
function pingWith(fields: unknown[]): SchemaSources {
  return sourcesOf([ping], { 'ping.avsc': recordSchema('Ping', fields) });
}

async function problemsOf(sources: SchemaSources): Promise<Problem[]> {
  try {
    await generateContracts(sources);
  } catch (error) {
    if (error instanceof GeneratorError) {
      return [...error.problems];
    }
    throw error;
  }
  throw new Error('expected a GeneratorError');
}

const okField = { name: 'id', type: 'string' };

describe('generateContracts rejects what it cannot generate', () => {
  it('accepts the minimal valid catalogue used below', async () => {
    await expect(generateContracts(pingWith([okField]))).resolves.toHaveLength(
      4,
    );
  });

  it('names file and JSON path of an ambiguous union', async () => {
    const problems = await problemsOf(
      pingWith([okField, { name: 'n', type: ['null', 'int', 'long'] }]),
    );

    expect(problems).toEqual([
      {
        file: 'schemas/ping.avsc',
        path: '$.fields[1].type[2]',
        message: expect.stringContaining(
          'branches int and long are both number in JavaScript',
        ),
      },
    ]);
  });

  it('rejects a union of a record and a timestamp, which avsc cannot tell apart at run time', async () => {
    const problems = await problemsOf(
      pingWith([
        {
          name: 'when',
          type: [
            { type: 'record', name: 'Span', fields: [okField] },
            { type: 'long', logicalType: 'timestamp-millis' },
          ],
        },
      ]),
    );

    expect(problems).toEqual([
      {
        file: 'schemas/ping.avsc',
        path: '$.fields[0].type[1]',
        message: expect.stringContaining(
          'branches record Span and long (timestamp-millis) are both object',
        ),
      },
    ]);
  });

  it('rejects timestamp-millis on anything but long', async () => {
    const problems = await problemsOf(
      pingWith([
        { name: 'at', type: { type: 'int', logicalType: 'timestamp-millis' } },
      ]),
    );

    expect(problems).toEqual([
      {
        file: 'schemas/ping.avsc',
        path: '$.fields[0].type.logicalType',
        message: 'unsupported: timestamp-millis must annotate a long, not int',
      },
    ]);
  });

  it('rejects a name defined in another file', async () => {
    const problems = await problemsOf(
      pingWith([{ name: 'outcome', type: 'com.example.Outcome' }]),
    );

    expect(problems).toEqual([
      {
        file: 'schemas/ping.avsc',
        path: '$.fields[0].type',
        message: expect.stringContaining(
          'unknown type name "com.example.Outcome"',
        ),
      },
    ]);
  });

  it('rejects a field that would shadow a member of the generated class', async () => {
    const problems = await problemsOf(
      pingWith([{ name: 'contract', type: 'string' }]),
    );

    expect(problems).toEqual([
      expect.objectContaining({
        path: '$.fields[0].name',
        message: expect.stringContaining('"contract"'),
      }),
    ]);
  });

  it('rejects a type whose TypeScript name is reserved by the runtime', async () => {
    const problems = await problemsOf(
      pingWith([
        {
          name: 'kind',
          type: { type: 'enum', name: 'TOPICS', symbols: ['A'] },
        },
      ]),
    );

    expect(problems).toEqual([
      {
        file: 'schemas/ping.avsc',
        path: '',
        message: expect.stringContaining('TOPICS is reserved'),
      },
    ]);
  });

  it('reports what avsc rejects, such as a default of the wrong type', async () => {
    const problems = await problemsOf(
      pingWith([{ name: 'n', type: 'int', default: 'one' }]),
    );

    expect(problems).toEqual([
      {
        file: 'schemas/ping.avsc',
        path: '',
        message: expect.stringMatching(
          /^invalid Avro schema: incompatible field default/,
        ),
      },
    ]);
  });

  it('reports a schema that is not JSON', async () => {
    const problems = await problemsOf(
      sourcesOf([ping], { 'ping.avsc': '{ "type": ' }),
    );

    expect(problems).toEqual([
      expect.objectContaining({
        file: 'schemas/ping.avsc',
        message: expect.stringMatching(/^not valid JSON/),
      }),
    ]);
  });

  it('requires the record name to be the catalogue name', async () => {
    const problems = await problemsOf(
      sourcesOf([ping], { 'ping.avsc': recordSchema('Pong', [okField]) }),
    );

    expect(problems).toEqual([
      {
        file: 'schemas/ping.avsc',
        path: '$.name',
        message:
          'the record is named Pong but schemas/catalogue.json calls it Ping',
      },
    ]);
  });

  it('requires a named type defined in two files to be the same in both', async () => {
    const status = (symbols: string[]): object => ({
      name: 'status',
      type: { type: 'enum', name: 'Status', symbols },
    });
    const pong = {
      ...ping,
      name: 'Pong',
      file: 'pong.avsc',
      topic: 'PONG',
      subject: 'PONG-value',
    };
    const problems = await problemsOf(
      sourcesOf([ping, pong], {
        'ping.avsc': recordSchema('Ping', [status(['A', 'B'])]),
        'pong.avsc': recordSchema('Pong', [status(['A'])]),
      }),
    );

    expect(problems).toEqual([
      {
        file: 'schemas/pong.avsc',
        path: '',
        message: expect.stringContaining(
          'com.example.Status differs from its definition in schemas/ping.avsc',
        ),
      },
    ]);
  });

  it('lists every problem of every file at once', async () => {
    const pong = {
      ...ping,
      name: 'Pong',
      file: 'pong.avsc',
      topic: 'PONG',
      subject: 'PONG-value',
    };
    const problems = await problemsOf(
      sourcesOf([ping, pong], {
        'ping.avsc': recordSchema('Ping', [
          { name: 'a', type: ['int', 'double'] },
          { name: 'b', type: 'Nope' },
        ]),
        'pong.avsc': recordSchema('Pong', [
          { name: 'validate', type: 'string' },
        ]),
      }),
    );

    expect(problems.map(({ file, path }) => `${file} ${path}`)).toEqual([
      'schemas/ping.avsc $.fields[0].type[1]',
      'schemas/ping.avsc $.fields[1].type',
      'schemas/pong.avsc $.fields[0].name',
    ]);
  });
});

describe('generateContracts rejects a bad catalogue', () => {
  const pingSchema = { 'ping.avsc': recordSchema('Ping', [okField]) };

  it('names the subject that is not <topic>-value', async () => {
    const problems = await problemsOf(
      sourcesOf([{ ...ping, subject: 'ping-subject' }], pingSchema),
    );

    expect(problems).toEqual([
      {
        file: 'schemas/catalogue.json',
        path: '$.messages[0].subject',
        message:
          'must be "PING-value" (TopicNameStrategy: <topic>-value), found "ping-subject"',
      },
    ]);
  });

  it('names an unknown schema file', async () => {
    const problems = await problemsOf(
      sourcesOf([{ ...ping, file: 'pingg.avsc' }], pingSchema),
    );

    expect(problems).toEqual([
      {
        file: 'schemas/catalogue.json',
        path: '$.messages[0].file',
        message: 'schemas/pingg.avsc does not exist',
      },
      {
        file: 'schemas/ping.avsc',
        path: '',
        message:
          'not listed in catalogue.json: add it to "messages" or delete it',
      },
    ]);
  });

  it('names an unknown reply', async () => {
    const command = {
      ...ping,
      role: 'command',
      reply: 'PingReply',
      deadLetterTopic: 'PING.dlq',
    };
    const problems = await problemsOf(sourcesOf([command], pingSchema));

    expect(problems).toEqual([
      {
        file: 'schemas/catalogue.json',
        path: '$.messages[0].reply',
        message: 'unknown message PingReply',
      },
    ]);
  });

  it('requires a command to name its reply and dead-letter topic', async () => {
    const problems = await problemsOf(
      sourcesOf([{ ...ping, role: 'command' }], pingSchema),
    );

    expect(problems.map((problem) => problem.path)).toEqual([
      '$.messages[0].deadLetterTopic',
      '$.messages[0].reply',
    ]);
  });

  /** Ping as a command answered by PingReply, each entry changed as given. */
  function pingCommandProblems(
    commandChanges: object,
    replyChanges: object,
  ): Promise<Problem[]> {
    const command = {
      ...ping,
      role: 'command',
      reply: 'PingReply',
      deadLetterTopic: 'PING.dlq',
      ...commandChanges,
    };
    const reply = {
      name: 'PingReply',
      file: 'ping-reply.avsc',
      role: 'reply',
      topic: 'PING.reply',
      subject: 'PING.reply-value',
      ...replyChanges,
    };
    return problemsOf(
      sourcesOf([command, reply], {
        ...pingSchema,
        'ping-reply.avsc': recordSchema('PingReply', [okField]),
      }),
    );
  }

  it('requires a reply to travel on <command topic>.reply', async () => {
    const problems = await pingCommandProblems(
      {},
      { topic: 'PING_REPLY', subject: 'PING_REPLY-value' },
    );

    expect(problems).toEqual([
      {
        file: 'schemas/catalogue.json',
        path: '$.messages[1].topic',
        message:
          'must be "PING.reply": Nest replies to Ping on <command topic>.reply',
      },
    ]);
  });

  it('requires a command or event to name its producer and consumers', async () => {
    const { producer: _producer, consumers: _consumers, ...anonymous } = ping;
    const problems = await problemsOf(sourcesOf([anonymous], pingSchema));

    expect(problems).toEqual([
      {
        file: 'schemas/catalogue.json',
        path: '$.messages[0].producer',
        message: 'an event must name the app that sends it',
      },
      {
        file: 'schemas/catalogue.json',
        path: '$.messages[0].consumers',
        message: 'an event must name the apps that receive it',
      },
    ]);
  });

  it('gives a command exactly one consumer and a reply no parties', async () => {
    const problems = await pingCommandProblems(
      { consumers: ['ponger', 'echo'] },
      { producer: 'ponger' },
    );

    expect(problems).toEqual([
      {
        file: 'schemas/catalogue.json',
        path: '$.messages[0].consumers',
        message:
          'a command has exactly one consumer, the app that answers it; found 2',
      },
      {
        file: 'schemas/catalogue.json',
        path: '$.messages[1].producer',
        message:
          "a reply names no parties: its command's consumer sends it to its command's producer",
      },
    ]);
  });

  it('rejects an unknown compatibility level and unknown keys', async () => {
    const problems = await problemsOf(
      sourcesOf(
        [{ ...ping, compatibility: 'SIDEWAYS', colour: 'red' }],
        pingSchema,
      ),
    );

    expect(problems.map((problem) => problem.path).sort()).toEqual([
      '$.messages[0]',
      '$.messages[0].compatibility',
    ]);
  });

  it('rejects a topic used twice', async () => {
    const pong = { ...ping, name: 'Pong', file: 'pong.avsc' };
    const problems = await problemsOf(
      sourcesOf([ping, pong], {
        ...pingSchema,
        'pong.avsc': recordSchema('Pong', [okField]),
      }),
    );

    expect(problems).toEqual([
      {
        file: 'schemas/catalogue.json',
        path: '$.messages[1].topic',
        message: 'topic PING is already used by Ping.topic',
      },
    ]);
  });

  it('defaults the compatibility level to BACKWARD', async () => {
    const files = await generateContracts(sourcesOf([ping], pingSchema));

    expect(files.find((file) => file.path === 'ping.ts')?.content).toContain(
      'static readonly compatibility = "BACKWARD";',
    );
  });
});

describe('generateContracts checks the catalogue key', () => {
  const keyed = (key: string, fields: unknown[]): SchemaSources =>
    sourcesOf([{ ...ping, key }], {
      'ping.avsc': recordSchema('Ping', fields),
    });

  it('names a key that is not a top-level field of the record', async () => {
    const problems = await problemsOf(
      keyed('subtaskId', [okField, { name: 'n', type: 'int' }]),
    );

    expect(problems).toEqual([
      {
        file: 'schemas/catalogue.json',
        path: '$.messages[0].key',
        message:
          'Ping (schemas/ping.avsc) has no top-level field "subtaskId"; the key must name one of: id, n',
      },
    ]);
  });

  it('does not look inside nested records for the key', async () => {
    const problems = await problemsOf(
      keyed('inner', [
        {
          name: 'nested',
          type: {
            type: 'record',
            name: 'Nested',
            fields: [{ name: 'inner', type: 'string' }],
          },
        },
      ]),
    );

    expect(problems.map(({ path }) => path)).toEqual(['$.messages[0].key']);
  });

  it.each([
    ['an int', 'int', '"int"'],
    ['a nullable int', ['null', 'int'], '["null","int"]'],
    [
      'a union of string and long',
      ['null', 'string', 'long'],
      '["null","string","long"]',
    ],
    [
      'an enum',
      { type: 'enum', name: 'Kind', symbols: ['A'] },
      '{"type":"enum","name":"Kind","symbols":["A"]}',
    ],
  ])('rejects a key field of %s, naming its type', async (_, type, written) => {
    const problems = await problemsOf(
      keyed('k', [okField, { name: 'k', type }]),
    );

    expect(problems).toEqual([
      {
        file: 'schemas/catalogue.json',
        path: '$.messages[0].key',
        message: `field "k" of Ping has type ${written}; a Kafka key field must be "string" or ["null", "string"]`,
      },
    ]);
  });

  it.each([
    ['a string', 'string'],
    ['a uuid string', { type: 'string', logicalType: 'uuid' }],
    ['a nullable string', ['null', 'string']],
    ['a string-or-null', ['string', 'null']],
  ])('accepts a key field of %s', async (_, type) => {
    const files = await generateContracts(keyed('k', [{ name: 'k', type }]));
    const ping = files.find((file) => file.path === 'ping.ts')?.content;

    expect(ping).toContain('static readonly keyField = "k";');
    expect(ping).toContain('return this.k;');
  });

  it('rejects an empty key', async () => {
    const problems = await problemsOf(keyed('', [okField]));

    expect(problems.map(({ path }) => path)).toEqual(['$.messages[0].key']);
  });

  it('reports key problems together with the other problems of the schemas', async () => {
    const pong = {
      ...ping,
      name: 'Pong',
      file: 'pong.avsc',
      topic: 'PONG',
      subject: 'PONG-value',
    };
    const problems = await problemsOf(
      sourcesOf([{ ...ping, key: 'missing' }, pong], {
        'ping.avsc': recordSchema('Ping', [okField]),
        'pong.avsc': recordSchema('Pong', [
          { name: 'a', type: ['int', 'double'] },
        ]),
      }),
    );

    expect(problems.map(({ file, path }) => `${file} ${path}`)).toEqual([
      'schemas/catalogue.json $.messages[0].key',
      'schemas/pong.avsc $.fields[0].type[1]',
    ]);
  });

  it('reserves kafkaKey, the getter every generated class has', async () => {
    const problems = await problemsOf(
      pingWith([{ name: 'kafkaKey', type: 'string' }]),
    );

    expect(problems).toEqual([
      expect.objectContaining({
        path: '$.fields[0].name',
        message: expect.stringContaining('"kafkaKey"'),
      }),
    ]);
  });

  it('emits a kafkaKey getter returning null and no keyField when no key is declared', async () => {
    const files = await generateContracts(pingWith([okField]));
    const ping = files.find((file) => file.path === 'ping.ts')?.content;

    expect(ping).not.toContain('keyField');
    expect(ping).toMatch(
      /get kafkaKey\(\): string \| null \{\s*return null;\s*\}/,
    );
  });
});
