import { DynamicModule, Module, ModuleMetadata } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { PostgresHealthIndicator } from './postgres.health';
import { type DatabaseLimits, PrismaService } from './prisma.service';
import { SubtasksRepository } from './subtasks.repository';

export interface SubtasksDbModuleOptions {
  imports?: ModuleMetadata['imports'];
  inject?: (string | symbol | (abstract new (...args: never[]) => unknown))[];
  /** Resolves the PostgreSQL connection string (already validated by the app's config). */
  useDatabaseUrl: (...deps: never[]) => string;
  /** Statement and connect timeouts, from the same config. */
  useLimits?: (...deps: never[]) => DatabaseLimits;
}

@Module({})
export class SubtasksDbModule {
  static forRootAsync(options: SubtasksDbModuleOptions): DynamicModule {
    return {
      module: SubtasksDbModule,
      global: true,
      imports: [TerminusModule, ...(options.imports ?? [])],
      providers: [
        {
          provide: PrismaService,
          inject: options.inject ?? [],
          useFactory: (...deps: never[]) =>
            new PrismaService(
              options.useDatabaseUrl(...deps),
              options.useLimits?.(...deps),
            ),
        },
        SubtasksRepository,
        PostgresHealthIndicator,
      ],
      exports: [PrismaService, SubtasksRepository, PostgresHealthIndicator],
    };
  }
}
