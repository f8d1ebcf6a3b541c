export * from './lib/environment';
export * from './lib/logging';
