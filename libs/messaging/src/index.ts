export * from './lib/health/kafka.health';
export * from './lib/health/schema-registry.health';
export * from './lib/health/messaging-health.module';
