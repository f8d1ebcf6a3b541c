export * from './lib/subtasks-db';
