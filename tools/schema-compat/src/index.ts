export * from './lib/schema-compat';
