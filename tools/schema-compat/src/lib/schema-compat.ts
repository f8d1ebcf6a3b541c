export function schemaCompat(): string {
  return 'schema-compat';
}
