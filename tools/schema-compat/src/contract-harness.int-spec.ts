import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  avroTypeOptions,
  CONTRACT_CLASSES,
  type ContractClass,
} from '@subtasks/contracts';
import { Type } from 'avsc';
import {
  ContractRegistry,
  ContractSerde,
  encodeFramed,
  unframe,
} from '@subtasks/messaging';
import {
  deleteSubjectPermanently,
  REGISTRY,
  registerSchemaText,
  runId,
} from '@subtasks/messaging/testing';
import { Git } from './gate/git';
import { registeredVersions } from './gate/versions';

/*
 * The contract tests every message type gets from the catalogue alone, with no test written for it:
 * its generated class round-trips through the real registry and the Confluent wire format, and it
 * reads records written with every earlier committed version of its schema (the versions the
 * registry was given as they reached main). A new .avsc and catalogue entry join this on their own.
 */

const workspaceRoot = path.resolve(__dirname, '..', '..', '..');
const catalogue = JSON.parse(
  readFileSync(path.join(workspaceRoot, 'schemas', 'catalogue.json'), 'utf8'),
) as { messages: { name: string; file: string }[] };

function schemaFileOf(contract: ContractClass): string {
  const entry = catalogue.messages.find((m) => m.name === contract.messageName);
  if (entry === undefined)
    throw new Error(`${contract.messageName} is not in schemas/catalogue.json`);
  return `schemas/${entry.file}`;
}

const git = new Git(workspaceRoot);

/** A schema's Avro form: formatting and docs do not make another version, defaults and types do. */
function avroForm(text: string): string {
  return JSON.stringify(
    Type.forSchema(JSON.parse(text)).schema({ exportAttrs: true }),
  );
}

const run = runId();
const registry = new ContractRegistry({
  connection: REGISTRY,
  mode: 'register',
});
const serde = new ContractSerde(registry);
const ownSubjects: string[] = [];

afterAll(async () => {
  for (const subject of ownSubjects) await deleteSubjectPermanently(subject);
});

describe.each(
  CONTRACT_CLASSES.map((contract): [string, ContractClass] => [
    contract.messageName,
    contract,
  ]),
)('contract %s', (_name, contract) => {
  it('round-trips a generated instance through the registry and the Confluent wire format', async () => {
    const sample = contract.fromAvro(contract.schema.random());

    const bytes = await serde.encode(sample);
    const { schemaId } = unframe(bytes, contract.topic);

    expect(bytes[0]).toBe(0);
    expect(schemaId).toBe(await registry.schemaIdOf(contract));
    const decoded = await serde.decode(contract, bytes);
    expect(decoded).toBeInstanceOf(contract);
    expect(contract.schema.toBuffer(decoded.toAvro())).toEqual(
      contract.schema.toBuffer(sample.toAvro()),
    );
  });

  it('reads records written with every earlier committed version of its schema', async () => {
    const file = schemaFileOf(contract);
    const versions = registeredVersions(git, 'HEAD', file);
    const current = readFileSync(path.join(workspaceRoot, file), 'utf8');
    // The committed history includes the schema the class was generated from (or its last commit
    // when the working tree changes it): a history git cannot read fails here, not silently.
    expect(versions.length).toBeGreaterThan(0);

    const earlier = versions.filter(
      ({ text }) => avroForm(text) !== avroForm(current),
    );
    const subject = `${run}.${contract.subject}`;
    for (const { label, text } of earlier) {
      ownSubjects.push(subject);
      const schemaId = await registerSchemaText(subject, text);
      const writer = Type.forSchema(JSON.parse(text), avroTypeOptions());
      const written = encodeFramed(schemaId, writer, writer.random());

      const read = await serde.decode(contract, written).catch((error) => {
        throw new Error(
          `a record written with ${label} does not read: ${String(error)}`,
        );
      });
      expect(read).toBeInstanceOf(contract);
      expect(() => read.validate()).not.toThrow();
    }
  });
});
