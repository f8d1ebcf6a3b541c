import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { PrismaService } from './prisma.service';

/** Up when PostgreSQL answers a query through the app's own Prisma client. */
@Injectable()
export class PostgresHealthIndicator {
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
      return indicator.down({ message: this.prisma.describe(error) });
    }
  }
}
