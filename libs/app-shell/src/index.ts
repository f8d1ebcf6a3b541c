export * from './lib/app-shell.module';
export * from './lib/boot-app';
