export type { DatabaseLimits } from './lib/prisma.service';
export * from './lib/database-failure';
export {
  SubtasksDbModule,
  type SubtasksDbModuleOptions,
} from './lib/subtasks-db.module';
export * from './lib/subtasks.repository';
export * from './lib/upload-outcome';
export { PostgresHealthIndicator } from './lib/postgres.health';
