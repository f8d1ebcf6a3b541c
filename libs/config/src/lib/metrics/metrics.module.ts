import {
  Controller,
  Get,
  Global,
  Header,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  RequestMethod,
} from '@nestjs/common';
import { HttpMetricsMiddleware } from './http-metrics.middleware';
import { Metrics } from './metrics';

@Controller('metrics')
class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  /** Prometheus text format: the app's metrics and Node's process metrics. */
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

/**
 * `GET /metrics` and the HTTP request histogram. Global and static, so the app and the libraries
 * that declare metrics (messaging, the app's own parts) share one {@link Metrics} per app.
 */
@Global()
@Module({
  providers: [Metrics, HttpMetricsMiddleware],
  controllers: [MetricsController],
  exports: [Metrics],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(HttpMetricsMiddleware)
      .forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
