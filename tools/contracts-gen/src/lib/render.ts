import type { DefaultValue, FieldModel, TsType } from './model';

/** How a named Avro type is spelled in TypeScript in one generated file. */
export type TypeNames = (fullName: string) => string;

export function renderType(type: TsType, names: TypeNames): string {
  switch (type.kind) {
    case 'primitive':
      return type.ts;
    case 'named':
      return names(type.fullName);
    case 'array': {
      const items = renderType(type.items, names);
      return type.items.kind === 'union' ? `(${items})[]` : `${items}[]`;
    }
    case 'map':
      return `Record<string, ${renderType(type.values, names)}>`;
    case 'union': {
      // null last, as TypeScript code usually reads.
      const nonNull = type.branches.filter(
        (branch) => !(branch.kind === 'primitive' && branch.ts === 'null'),
      );
      const rendered = nonNull.map((branch) => renderType(branch, names));
      if (nonNull.length < type.branches.length) {
        rendered.push('null');
      }
      return rendered.join(' | ');
    }
  }
}

export function renderDefault(
  field: FieldModel,
  defaultValue: DefaultValue,
  className: string,
  names: TypeNames,
): string {
  switch (defaultValue.kind) {
    case 'literal':
      return JSON.stringify(defaultValue.value);
    case 'date':
      return `new Date(${defaultValue.millis})`;
    case 'schema':
      return `fieldDefault(${className}.schema, ${JSON.stringify(field.name)}) as ${renderType(field.type, names)}`;
  }
}

/** A JSDoc block, or nothing when there is no doc. */
export function docComment(doc: string | undefined): string {
  if (doc === undefined || doc.trim() === '') {
    return '';
  }
  const lines = doc
    .trim()
    .replace(/\*\//g, '*\\/')
    .split(/\r?\n/)
    .map((line) => line.trimEnd());
  return lines.length === 1
    ? `/** ${lines[0]} */\n`
    : `/**\n${lines.map((line) => (line ? ` * ${line}` : ' *')).join('\n')}\n */\n`;
}
