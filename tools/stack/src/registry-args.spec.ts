import { loadStackConfig } from './config';
import { registryJvmArgs } from './registry-args';

describe('registryJvmArgs', () => {
  it('binds HTTP and management to the configured host, stores in PostgreSQL, defaults to BACKWARD', () => {
    const { registry, postgres } = loadStackConfig({});

    const args = registryJvmArgs({
      registry,
      postgres,
      quarkusRunJar: '/cache/app/quarkus-run.jar',
    });

    expect(args).toEqual([
      '-Xmx512m',
      '-Dquarkus.http.host=127.0.0.1',
      '-Dquarkus.http.port=8081',
      '-Dquarkus.management.host=127.0.0.1',
      '-Dquarkus.management.port=9081',
      '-Dapicurio.rules.global.compatibility=BACKWARD',
      '-Dapicurio.storage.kind=sql',
      '-Dapicurio.storage.sql.kind=postgresql',
      '-Dapicurio.datasource.url=jdbc:postgresql://127.0.0.1:5432/subtasks_registry',
      '-Dapicurio.datasource.username=postgres',
      '-Dapicurio.datasource.password=',
      '-jar',
      '/cache/app/quarkus-run.jar',
    ]);
  });

  it('follows SCHEMA_REGISTRY_URL and DATABASE_URL', () => {
    const { registry, postgres } = loadStackConfig({
      SCHEMA_REGISTRY_URL: 'http://localhost:18081/apis/ccompat/v7',
      DATABASE_URL: 'postgresql://app:pw@[::1]:15432/subtasks',
    });

    const args = registryJvmArgs({
      registry,
      postgres,
      quarkusRunJar: 'quarkus-run.jar',
    });

    expect(args).toEqual(
      expect.arrayContaining([
        '-Dquarkus.http.port=18081',
        '-Dquarkus.management.port=19081',
        '-Dapicurio.datasource.url=jdbc:postgresql://[::1]:15432/subtasks_registry',
        '-Dapicurio.datasource.username=app',
        '-Dapicurio.datasource.password=pw',
      ]),
    );
  });
});
