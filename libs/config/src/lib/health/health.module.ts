import {
  Controller,
  DynamicModule,
  Get,
  Inject,
  Module,
  ModuleMetadata,
  Type,
} from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  type HealthIndicatorResult,
  TerminusModule,
} from '@nestjs/terminus';

/** Anything that can say whether one dependency (database, broker, registry) answers. */
export interface DependencyHealth {
  isHealthy(): Promise<HealthIndicatorResult>;
}

const DEPENDENCIES = Symbol('HEALTH_DEPENDENCIES');

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @Inject(DEPENDENCIES) private readonly dependencies: DependencyHealth[],
  ) {}

  /** 200 when every dependency answers; 503 naming the one that does not. */
  @Get()
  @HealthCheck()
  check() {
    return this.health.check(this.dependencies.map((d) => () => d.isHealthy()));
  }
}

export interface HealthModuleOptions {
  imports?: ModuleMetadata['imports'];
  /** Indicator classes, injectable in this module (from `imports` or a global module). */
  dependencies: Type<DependencyHealth>[];
}

/** `GET /health` over the given dependency indicators (@nestjs/terminus). */
@Module({})
export class HealthModule {
  static register(options: HealthModuleOptions): DynamicModule {
    return {
      module: HealthModule,
      imports: [
        TerminusModule.forRoot({ errorLogStyle: 'json' }),
        ...(options.imports ?? []),
      ],
      providers: [
        {
          provide: DEPENDENCIES,
          inject: options.dependencies,
          useFactory: (...dependencies: DependencyHealth[]) => dependencies,
        },
      ],
      controllers: [HealthController],
    };
  }
}
