import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Histogram } from 'prom-client';
import { Metrics, secondsSince } from './metrics';

/** Label for requests no route matched: URLs would make one series per probe a scanner tries. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * `http_request_duration_seconds{method,route,status_code}`, observed when the response is sent,
 * so requests refused by guards, pipes and filters count too. The route is the declared pattern
 * (`/subtasks/:id/result`), never the URL.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(metrics: Metrics) {
    this.duration = metrics.histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern and status code, and how long they took',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
  }

  use(request: Request, response: Response, next: () => void): void {
    const startedAt = process.hrtime.bigint();
    response.once('finish', () => {
      this.duration.observe(
        {
          method: request.method,
          route: routeOf(request),
          status_code: String(response.statusCode),
        },
        secondsSince(startedAt),
      );
    });
    next();
  }
}

function routeOf(request: Request): string {
  const route: unknown = (request as { route?: { path?: unknown } }).route
    ?.path;
  // Nest answers unknown paths from a catch-all (`/{*path}`): no route of the app's own.
  if (typeof route !== 'string' || route.includes('*')) return UNMATCHED_ROUTE;
  return `${request.baseUrl}${route}`;
}
