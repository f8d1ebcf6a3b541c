import type { Server } from 'node:http';
import type {
  INestApplication,
  NestApplicationOptions,
  Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  bootFailureText,
  enforceShutdownDeadline,
  kafkaConnectionOf,
  parseEnvironment,
  type SharedEnvironment,
  topicPolicyOf,
} from '@subtasks/config';
import { ALL_TOPICS, KAFKA_IDS } from '@subtasks/contracts';
import {
  ContractRegistry,
  contractMicroserviceOptions,
  ensureTopics,
  MessagingReadiness,
} from '@subtasks/messaging';
import { Logger } from 'nestjs-pino';
import type { z } from 'zod';

const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** The variables every served app has: where its HTTP side listens. */
export type ServedEnvironment = SharedEnvironment & { readonly HOST: string };

/** A Kafka consumer group the process joins: a Nest microservice with the contract transport. */
export interface ConsumerGroup {
  /** How health and logs name it while it joins, e.g. `completion consumer`. */
  readonly name: string;
  readonly groupId: string;
  /** Partitions handled at the same time, each still in order (default 1). */
  readonly partitionsConsumedConcurrently?: number;
}

export interface AppBootOptions<E extends ServedEnvironment> {
  /** The service name in the log line that says it is up. */
  readonly name: string;
  /** The app's root module (its own parts plus `AppShellModule.forRoot(…)`). */
  readonly module: Type<unknown>;
  readonly environment: z.ZodType<E>;
  /** The HTTP port (API, health, metrics). */
  readonly port: (env: E) => number;
  readonly nest?: NestApplicationOptions;
  /** Express-level set-up that must precede `listen` (security headers, body parsing). */
  readonly configure?: (app: INestApplication, env: E) => void;
  /** The consumer groups to join; none for an HTTP-only instance. */
  readonly consumers?: (env: E) => readonly ConsumerGroup[];
  /** What the "up" log line adds, e.g. the OpenAPI path. */
  readonly describe?: (env: E) => string;
}

/**
 * Boots a workspace app: validates the environment before Nest starts (a bad variable stops the boot
 * with one message naming it), creates the topics (Nest's Kafka client and server die at start
 * without them), serves HTTP, then joins the consumer groups. HTTP comes first so that health
 * answers, and says what is not ready, while a consumer rejoins its group after a restart, which
 * can take a session timeout.
 */
export async function bootApp<E extends ServedEnvironment>(
  options: AppBootOptions<E>,
): Promise<INestApplication> {
  const env = parseEnvironment(options.environment, process.env);
  const kafka = kafkaConnectionOf(env);
  await ensureTopics(kafka, ALL_TOPICS, {
    clientId: KAFKA_IDS.clientId,
    policy: topicPolicyOf(env),
  });

  const app = await NestFactory.create(options.module, {
    ...options.nest,
    bufferLogs: true,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  enforceShutdownDeadline(env.SHUTDOWN_TIMEOUT_MS);
  options.configure?.(app, env);

  const consumers = options.consumers?.(env) ?? [];
  for (const consumer of consumers) {
    app.connectMicroservice(
      contractMicroserviceOptions({
        connection: kafka,
        clientId: KAFKA_IDS.clientId,
        groupId: consumer.groupId,
        registry: app.get(ContractRegistry),
        // A partition without a committed offset starts at its beginning: messages sent while no
        // instance consumed them are handled, not skipped (handlers are idempotent by request id).
        fromBeginning: true,
        partitionsConsumedConcurrently: consumer.partitionsConsumedConcurrently,
      }),
    );
  }
  const port = options.port(env);
  // Idle keep-alive connections outlive any client's own idle timeout (undici's 4 s, a proxy's 60 s):
  // a server that closes a pooled connection first races the client's next request on it, which
  // then fails unanswered. Node's default is 5 s; headers must be allowed longer than that.
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  await app.listen(port, env.HOST);
  const groups = consumers.map(({ groupId }) => groupId).join(', ');
  logger.log(
    `${options.name} listening on http://${env.HOST}:${port} (health /health, metrics /metrics${options.describe?.(env) ?? ''})` +
      (groups === '' ? '' : `; consuming as ${groups}`),
  );
  if (consumers.length > 0) {
    const readiness = app.get(MessagingReadiness);
    consumers.forEach(({ name }) => readiness.joining(name));
    await app.startAllMicroservices();
    consumers.forEach(({ name }) => readiness.ready(name));
  }
  return app;
}

/** Runs `bootApp` as a process's main: a failed boot prints why (never a secret) and exits 1. */
export function runApp<E extends ServedEnvironment>(
  options: AppBootOptions<E>,
): void {
  bootApp(options).catch((error: unknown) => {
    console.error(bootFailureText(error, process.env));
    process.exit(1);
  });
}
