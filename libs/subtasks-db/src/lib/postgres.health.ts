import { Injectable, Logger } from '@nestjs/common';
import { databaseFailureKind } from './database-failure';
import { HealthIndicatorService } from '@nestjs/terminus';
import { PrismaService } from './prisma.service';

/** Up when PostgreSQL answers a query through the app's own Prisma client. */
@Injectable()
export class PostgresHealthIndicator {
  private readonly logger = new Logger(PostgresHealthIndicator.name);

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly prisma: PrismaService,
  ) {}

  async isHealthy(key = 'postgres') {
    const indicator = this.health.check(key);
    try {
      await this.prisma.ping();
      return indicator.up();
    } catch (error) {
      // The driver's words go to the log; the answer says what kind of failure it is.
      this.logger.warn(`health check: ${this.prisma.describe(error)}`);
      return indicator.down({
        message:
          databaseFailureKind(error) === 'unavailable'
            ? 'PostgreSQL is unavailable'
            : 'PostgreSQL did not answer the health query',
      });
    }
  }
}
