export * from './lib/contracts-gen';
