export * from './lib/catalogue';
export * from './lib/drift';
export * from './lib/files';
export * from './lib/format';
export * from './lib/generate';
export * from './lib/model';
export * from './lib/problems';
export * from './lib/schema-walker';
