import { AvroSchemaParser } from '@asyncapi/avro-schema-parser';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { ASYNCAPI_DOCUMENT } from '@subtasks/contracts/asyncapi';
import { CONTRACT_CLASSES, DEAD_LETTER_TOPICS } from '@subtasks/contracts';

interface MessageObject {
  readonly payload: { readonly schemaFormat: string; readonly schema: unknown };
}

describe('the committed AsyncAPI document of schemas/', () => {
  it('validates as AsyncAPI 3 with its Avro payloads', async () => {
    const parser = new Parser();
    parser.registerSchemaParser(AvroSchemaParser());

    const { document, diagnostics } = await parser.parse(
      JSON.stringify(ASYNCAPI_DOCUMENT),
    );

    expect(
      diagnostics
        .filter(({ severity }) => severity <= DiagnosticSeverity.Warning)
        .map(({ message, path }) => `${path.join('.')}: ${message}`),
    ).toEqual([]);
    expect(
      document
        ?.channels()
        .all()
        .map((channel) => channel.address())
        .sort(),
    ).toEqual(
      [
        ...CONTRACT_CLASSES.map((contract) => contract.topic),
        ...Object.values(DEAD_LETTER_TOPICS),
      ].sort(),
    );
  });

  it.each(CONTRACT_CLASSES.map((contract) => [contract.messageName, contract]))(
    'describes %s with the schema its class registers',
    (name, contract) => {
      const messages = (
        ASYNCAPI_DOCUMENT['components'] as {
          messages: Record<string, MessageObject>;
        }
      ).messages;

      expect(messages[name]?.payload.schema).toEqual(
        JSON.parse(contract.schemaJson),
      );
    },
  );
});
