import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { databaseUrl } from './tools/database-url';
import { OfflineMigrationAdapterFactory } from './tools/offline-migration-adapter';

// The CLI falls back to a native engine download (impossible offline) unless DATABASE_URL is set.
process.env['DATABASE_URL'] = databaseUrl();
process.env['CHECKPOINT_DISABLE'] = '1';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(__dirname, 'prisma', 'schema.prisma'),
  migrations: { path: path.join(__dirname, 'prisma', 'migrations') },
  adapter: async () => new OfflineMigrationAdapterFactory(databaseUrl()),
});
