import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  avroTypeOptions,
  CONTRACT_CLASSES,
  type ContractClass,
} from '@subtasks/contracts';
import { Type } from 'avsc';
import { ContractRegistry } from '../lib/registry/contract-registry';
import { ContractSerde } from '../lib/serde/contract-serde';
import { encodeFramed, unframe } from '../lib/wire/confluent-wire-format';
import { REGISTRY, runId } from '../testing/local-stack';
import {
  deleteSubjectPermanently,
  registerSchemaText,
} from '../testing/registry-admin';

/*
 * The contract tests every message type gets from the catalogue alone, with no test written for it:
 * its generated class round-trips through the real registry and the Confluent wire format, and it
 * reads records written with every earlier committed version of its schema (the versions the
 * registry was given as they reached main). A new .avsc and catalogue entry join this on their own.
 */

const workspaceRoot = path.resolve(__dirname, '..', '..', '..', '..');
const catalogue = JSON.parse(
  readFileSync(path.join(workspaceRoot, 'schemas', 'catalogue.json'), 'utf8'),
) as { messages: { name: string; file: string }[] };

function schemaFileOf(contract: ContractClass): string {
  const entry = catalogue.messages.find((m) => m.name === contract.messageName);
  if (entry === undefined)
    throw new Error(`${contract.messageName} is not in schemas/catalogue.json`);
  return `schemas/${entry.file}`;
}

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: workspaceRoot, encoding: 'utf8' });
}

/** Each committed text of the file on main's first-parent history, oldest first, one per Avro form. */
function committedVersions(file: string): { commit: string; text: string }[] {
  const commits = git('log', '--first-parent', '--format=%H', '--', file)
    .split('\n')
    .filter((line) => line !== '')
    .reverse();
  const seen = new Set<string>();
  const versions: { commit: string; text: string }[] = [];
  for (const commit of commits) {
    const text = git('show', `${commit}:${file}`);
    const key = avroForm(text);
    if (seen.has(key)) continue;
    seen.add(key);
    versions.push({ commit: commit.slice(0, 12), text });
  }
  return versions;
}

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
    const versions = committedVersions(file);
    const current = readFileSync(path.join(workspaceRoot, file), 'utf8');
    // The committed history includes the schema the class was generated from (or its last commit
    // when the working tree changes it): a history git cannot read fails here, not silently.
    expect(versions.length).toBeGreaterThan(0);

    const earlier = versions.filter(
      ({ text }) => avroForm(text) !== avroForm(current),
    );
    const subject = `${run}.${contract.subject}`;
    for (const { commit, text } of earlier) {
      ownSubjects.push(subject);
      const schemaId = await registerSchemaText(subject, text);
      const writer = Type.forSchema(JSON.parse(text), avroTypeOptions());
      const written = encodeFramed(schemaId, writer, writer.random());

      const read = await serde.decode(contract, written).catch((error) => {
        throw new Error(
          `a record written with ${file} at ${commit} does not read: ${String(error)}`,
        );
      });
      expect(read).toBeInstanceOf(contract);
      expect(() => read.validate()).not.toThrow();
    }
  });
});
