import {
  Injectable,
  Logger,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import {
  poolOptions,
  redactDatabaseUrl,
  redactSecrets,
} from './connection-url';

const connectionLogger = new Logger('PostgresConnection');

/** Bounds on how long one database call may take. */
export interface DatabaseLimits {
  readonly statementTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
}

/**
 * The one Prisma client of a process; connecting fails fast so a bad DATABASE_URL stops the boot.
 * Every URL parameter reaches node-postgres: see connection-url.ts for what sslmode and the others mean.
 */
@Injectable()
export class PrismaService
  extends PrismaClient
  implements OnModuleInit, OnApplicationShutdown
{
  private readonly logger = new Logger(PrismaService.name);
  /** A function rather than the URL itself, so logging this object cannot show the password. */
  private readonly redact: (text: string) => string;
  private readonly target: string;

  constructor(databaseUrl: string, limits: DatabaseLimits = {}) {
    const redact = (text: string) => redactSecrets(text, databaseUrl);
    const pool = new Pool({
      // The URL's connect_timeout wins; otherwise the app's setting bounds a connection attempt.
      ...(limits.connectTimeoutMs === undefined
        ? {}
        : { connectionTimeoutMillis: limits.connectTimeoutMs }),
      ...poolOptions(databaseUrl),
      // A hung statement fails instead of stalling a Kafka consumer past its session timeout.
      ...(limits.statementTimeoutMs === undefined
        ? {}
        : { statement_timeout: limits.statementTimeoutMs }),
    });
    // node-postgres emits 'error' on a connection the server ends (e.g. "terminating connection due
    // to administrator command") while no query or pool listener is on it, and an 'error' event
    // nobody listens to ends the process. The query in flight still gets its error.
    pool.on('connect', (client) =>
      client.on('error', (error) =>
        connectionLogger.warn(
          `a PostgreSQL connection ended: ${redact(error.message)}`,
        ),
      ),
    );
    super({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
    this.redact = redact;
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

  /**
   * Last of all: Nest closes the HTTP server and the Kafka consumers (which finish the message in
   * hand) before this hook, so no in-flight work loses its database.
   */
  async onApplicationShutdown(): Promise<void> {
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
