export * from './generated';
export * from './lib';
