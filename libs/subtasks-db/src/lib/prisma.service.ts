import {
  Injectable,
  Logger,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import {
  poolOptions,
  redactDatabaseUrl,
  redactSecrets,
} from './connection-url';

/**
 * The one Prisma client of a process; connecting fails fast so a bad DATABASE_URL stops the boot.
 * Every URL parameter reaches node-postgres: see connection-url.ts for what sslmode and the others mean.
 */
@Injectable()
export class PrismaService
  extends PrismaClient
  implements OnModuleInit, OnModuleDestroy
{
  private readonly logger = new Logger(PrismaService.name);
  /** A function rather than the URL itself, so logging this object cannot show the password. */
  private readonly redact: (text: string) => string;
  private readonly target: string;

  constructor(databaseUrl: string) {
    super({ adapter: new PrismaPg(poolOptions(databaseUrl)) });
    this.redact = (text) => redactSecrets(text, databaseUrl);
    this.target = redactDatabaseUrl(databaseUrl);
  }

  async onModuleInit(): Promise<void> {
    try {
      await this.$queryRaw`SELECT 1`;
    } catch (error) {
      this.logger.error(
        `cannot reach PostgreSQL at ${this.target} (DATABASE_URL): ${this.describe(error)}`,
      );
      throw this.withoutSecrets(error);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }

  async ping(): Promise<void> {
    await this.$queryRaw`SELECT 1`;
  }

  /** An error's message as it may be logged or returned: never with the URL's password. */
  describe(error: unknown): string {
    return this.redact(error instanceof Error ? error.message : String(error));
  }

  private withoutSecrets(error: unknown): Error {
    if (!(error instanceof Error)) return new Error(this.describe(error));
    try {
      error.message = this.redact(error.message);
      if (error.stack !== undefined) error.stack = this.redact(error.stack);
      return error;
    } catch {
      return new Error(this.describe(error));
    }
  }
}
