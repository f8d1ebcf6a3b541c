/** One default per setting, for the local stack that `npm run stack:up` starts. */
export const ENVIRONMENT_DEFAULTS = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
  DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/subtasks',
  LOG_LEVEL: 'info',
  /** The api's HTTP port (API, health, metrics). */
  PORT: 3000,
  /** The worker's HTTP port (health, metrics). */
  WORKER_HEALTH_PORT: 3001,
} as const;
