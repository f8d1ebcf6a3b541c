// For integration and end-to-end tests: a uniquely named, migrated database.
export {
  createMigratedDatabase,
  type TemporaryDatabase,
} from './temporary-database';
