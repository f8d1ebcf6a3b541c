export * from './lib/environment';
export * from './lib/logging';
export * from './lib/health/health.module';
