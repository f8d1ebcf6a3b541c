import { Type } from 'avsc';
import { emitAsyncApiDocument } from './asyncapi';
import { parseCatalogue, type Catalogue, type MessageEntry } from './catalogue';
import {
  emitCatalogueFile,
  emitIndexFile,
  emitMessageFile,
  emitSharedTypesFile,
  exportedNames,
  messageModule,
} from './emit';
import { formatJson, formatTypeScript, type FormatOptions } from './format';
import { checkMessageKey } from './message-key';
import { declSignature, type NamedDecl, type SchemaModel } from './model';
import { GeneratorError, jsonPath, type Problem } from './problems';
import { walkSchema } from './schema-walker';

/** The schemas folder, read: catalogue.json and every .avsc file in it, by file name. */
export interface SchemaSources {
  readonly catalogue: string;
  readonly schemas: ReadonlyMap<string, string>;
}

export interface GenerateOptions {
  /** How the schemas folder is named in headers and errors. Default `schemas`. */
  readonly schemasLabel?: string;
  /** Import specifier of the hand-written runtime, from the output folder. Default `../lib`. */
  readonly runtimeModule?: string;
  /** Prettier options (the project's resolved config). */
  readonly format?: FormatOptions;
}

export interface GeneratedFile {
  /** Path inside the output folder. */
  readonly path: string;
  readonly content: string;
}

const CATALOGUE_FILE = 'catalogue.json';
export const ASYNCAPI_FILE = 'asyncapi.json';
const SHARED_TYPES_MODULE = 'shared-types';
const CATALOGUE_MODULE = 'catalogue';
const RESERVED_MODULES = new Set([
  'index',
  SHARED_TYPES_MODULE,
  CATALOGUE_MODULE,
]);

/**
 * Names generated code declares or uses besides the messages' own: the runtime's exports (all
 * re-exported from the same index), the catalogue constants, and globals the code relies on.
 */
const RESERVED_EXPORTS = new Set([
  'AvroSchema',
  'CONTRACT_LOGICAL_TYPES',
  'avroTypeOptions',
  'parseContractSchema',
  'MessageRole',
  'CompatibilityLevel',
  'ContractClass',
  'CommandClass',
  'Contract',
  'Command',
  'ReplyOf',
  'ContractIssue',
  'ContractValidationError',
  'assertValidContract',
  'fieldDefault',
  'TimestampMillisType',
  'KAFKA_IDS',
  'TOPICS',
  'SUBJECTS',
  'DEAD_LETTER_TOPICS',
  'ALL_TOPICS',
  'CONTRACT_CLASSES',
  'Type',
  'schemaDefinition',
  'Date',
  'Buffer',
  'Record',
  'JSON',
]);

/** Turns the schemas folder into the contracts' generated files, sorted by path. Pure. */
export async function generateContracts(
  sources: SchemaSources,
  options: GenerateOptions = {},
): Promise<GeneratedFile[]> {
  const schemasLabel = options.schemasLabel ?? 'schemas';
  const runtimeModule = options.runtimeModule ?? '../lib';
  const catalogueLabel = `${schemasLabel}/${CATALOGUE_FILE}`;
  const catalogue = parseCatalogue(sources.catalogue, catalogueLabel);

  const problems: Problem[] = [];
  const models = new Map<string, SchemaModel>();
  for (const entry of catalogue.messages) {
    const model = loadMessage(
      entry,
      sources,
      schemasLabel,
      catalogueLabel,
      problems,
    );
    if (model !== undefined) {
      models.set(entry.name, model);
      const keyProblem = checkMessageKey(
        entry,
        model,
        catalogueLabel,
        schemasLabel,
      );
      if (keyProblem !== undefined) {
        problems.push(keyProblem);
      }
    }
  }
  const listed = new Set(catalogue.messages.map((entry) => entry.file));
  for (const file of [...sources.schemas.keys()].sort()) {
    if (!listed.has(file)) {
      problems.push({
        file: `${schemasLabel}/${file}`,
        path: '',
        message: `not listed in ${CATALOGUE_FILE}: add it to "messages" or delete it`,
      });
    }
  }
  if (problems.length > 0) {
    throw new GeneratorError(problems);
  }

  const sharedDecls = findSharedDecls(
    catalogue,
    models,
    schemasLabel,
    problems,
  );
  checkModuleAndExportNames(
    catalogue,
    models,
    sharedDecls,
    schemasLabel,
    problems,
  );
  if (problems.length > 0) {
    throw new GeneratorError(problems);
  }

  const shared = new Set(sharedDecls.map(({ decl }) => decl.fullName));
  const pending: Array<{ path: string; code: string }> = [];
  for (const entry of catalogue.messages) {
    const model = models.get(entry.name);
    if (model !== undefined) {
      pending.push({
        path: `${messageModule(entry.name)}.ts`,
        code: emitMessageFile({
          entry,
          model,
          shared,
          schemasLabel,
          runtimeModule,
        }),
      });
    }
  }
  const modules = [
    CATALOGUE_MODULE,
    ...catalogue.messages.map((entry) => messageModule(entry.name)),
  ];
  if (sharedDecls.length > 0) {
    const files = [
      ...new Set(sharedDecls.flatMap(({ files }) => files)),
    ].sort();
    pending.push({
      path: `${SHARED_TYPES_MODULE}.ts`,
      code: emitSharedTypesFile(
        sharedDecls.map(({ decl }) => decl),
        files.map((file) => `${schemasLabel}/${file}`),
      ),
    });
    modules.push(SHARED_TYPES_MODULE);
  }
  pending.push({
    path: `${CATALOGUE_MODULE}.ts`,
    code: emitCatalogueFile(catalogue, catalogueLabel, runtimeModule),
  });
  pending.push({
    path: 'index.ts',
    code: emitIndexFile(modules, catalogueLabel),
  });

  const formatOptions = options.format ?? {};
  const files = await Promise.all(
    pending.map(async ({ path, code }) => ({
      path,
      content: await formatTypeScript(code, formatOptions),
    })),
  );
  const asyncApi = emitAsyncApiDocument({
    catalogue,
    catalogueLabel,
    schemas: new Map(
      catalogue.messages.map((entry) => [
        entry.name,
        JSON.parse(sources.schemas.get(entry.file) ?? 'null') as unknown,
      ]),
    ),
  });
  files.push({
    path: ASYNCAPI_FILE,
    content: await formatJson(asyncApi, formatOptions),
  });
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function loadMessage(
  entry: MessageEntry,
  sources: SchemaSources,
  schemasLabel: string,
  catalogueLabel: string,
  problems: Problem[],
): SchemaModel | undefined {
  const text = sources.schemas.get(entry.file);
  if (text === undefined) {
    problems.push({
      file: catalogueLabel,
      path: jsonPath(['messages', entry.index, 'file']),
      message: `${schemasLabel}/${entry.file} does not exist`,
    });
    return undefined;
  }
  const file = `${schemasLabel}/${entry.file}`;
  let definition: unknown;
  try {
    definition = JSON.parse(text);
  } catch (error) {
    problems.push({
      file,
      path: '',
      message: `not valid JSON: ${(error as Error).message}`,
    });
    return undefined;
  }
  const walked = walkSchema(entry.file, definition);
  if (walked.model === undefined) {
    problems.push(...walked.problems.map((problem) => ({ ...problem, file })));
    return undefined;
  }
  try {
    // avsc checks what the walker does not: defaults against their types, name rules, and more.
    // timestamp-millis is left to its underlying long here; the runtime maps it to Date.
    Type.forSchema(definition as Parameters<typeof Type.forSchema>[0], {
      wrapUnions: false,
    });
  } catch (error) {
    problems.push({
      file,
      path: '',
      message: `invalid Avro schema: ${(error as Error).message}`,
    });
    return undefined;
  }
  if (walked.model.record.name !== entry.name) {
    problems.push({
      file,
      path: jsonPath(['name']),
      message: `the record is named ${walked.model.record.name} but ${catalogueLabel} calls it ${entry.name}`,
    });
    return undefined;
  }
  return walked.model;
}

/**
 * Named types defined in more than one file (each .avsc must be self-contained, so a shared enum is
 * written in each). They must be identical, and are emitted once, sorted by full name.
 */
function findSharedDecls(
  catalogue: Catalogue,
  models: ReadonlyMap<string, SchemaModel>,
  schemasLabel: string,
  problems: Problem[],
): Array<{ decl: NamedDecl; files: string[] }> {
  const messageRecords = new Map<string, string>();
  for (const model of models.values()) {
    messageRecords.set(model.record.fullName, model.file);
  }
  const definitions = new Map<
    string,
    Array<{ decl: NamedDecl; file: string }>
  >();
  for (const entry of catalogue.messages) {
    const model = models.get(entry.name);
    for (const decl of model?.named ?? []) {
      const messageFile = messageRecords.get(decl.fullName);
      if (model !== undefined && messageFile !== undefined) {
        problems.push({
          file: `${schemasLabel}/${model.file}`,
          path: '',
          message: `defines ${decl.fullName}, which is the message record of ${schemasLabel}/${messageFile}; give the nested record another name`,
        });
        continue;
      }
      const list = definitions.get(decl.fullName) ?? [];
      list.push({ decl, file: model?.file ?? '' });
      definitions.set(decl.fullName, list);
    }
  }
  const shared: Array<{ decl: NamedDecl; files: string[] }> = [];
  for (const [fullName, list] of [...definitions.entries()].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    if (list.length < 2) {
      continue;
    }
    const [first, ...others] = list;
    const differing = others.filter(
      ({ decl }) => declSignature(decl) !== declSignature(first.decl),
    );
    for (const { file } of differing) {
      problems.push({
        file: `${schemasLabel}/${file}`,
        path: '',
        message: `${fullName} differs from its definition in ${schemasLabel}/${first.file}; a name must mean one type in the whole catalogue (change both files together)`,
      });
    }
    shared.push({ decl: first.decl, files: list.map(({ file }) => file) });
  }
  return shared;
}

function checkModuleAndExportNames(
  catalogue: Catalogue,
  models: ReadonlyMap<string, SchemaModel>,
  sharedDecls: ReadonlyArray<{ decl: NamedDecl }>,
  schemasLabel: string,
  problems: Problem[],
): void {
  const modules = new Map<string, string>();
  const exports = new Map<string, string>();
  const claim = (name: string, file: string): void => {
    const owner = exports.get(name);
    if (RESERVED_EXPORTS.has(name)) {
      problems.push({
        file,
        path: '',
        message: `${name} is reserved by the contracts runtime; rename the type`,
      });
    } else if (owner !== undefined && owner !== file) {
      problems.push({
        file,
        path: '',
        message: `${name} would be exported twice (also from ${owner}); rename one of the types`,
      });
    } else {
      exports.set(name, file);
    }
  };
  const sharedNames = new Set(sharedDecls.map(({ decl }) => decl.fullName));
  for (const { decl } of sharedDecls) {
    exportedNames(decl).forEach((name) =>
      claim(name, `${schemasLabel}/${SHARED_TYPES_MODULE}`),
    );
  }
  for (const entry of catalogue.messages) {
    const model = models.get(entry.name);
    if (model === undefined) {
      continue;
    }
    const file = `${schemasLabel}/${model.file}`;
    const module = messageModule(entry.name);
    if (RESERVED_MODULES.has(module) || modules.has(module)) {
      problems.push({
        file,
        path: jsonPath(['name']),
        message: `the generated module ${module}.ts would clash with ${modules.get(module) ?? 'a generated file'}; rename the message`,
      });
    }
    modules.set(module, file);
    [entry.name, `${entry.name}Fields`, `${entry.name}Init`].forEach((name) =>
      claim(name, file),
    );
    model.named
      .filter((decl) => !sharedNames.has(decl.fullName))
      .forEach((decl) =>
        exportedNames(decl).forEach((name) => claim(name, file)),
      );
  }
}
