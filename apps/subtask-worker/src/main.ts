import './tracing';
import { NestFactory } from '@nestjs/core';
import {
  bootFailureText,
  enforceShutdownDeadline,
  kafkaConnectionOf,
  parseEnvironment,
  topicPolicyOf,
} from '@subtasks/config';
import { ALL_TOPICS, KAFKA_IDS } from '@subtasks/contracts';
import {
  ContractRegistry,
  contractMicroserviceOptions,
  ensureTopics,
} from '@subtasks/messaging';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app/app.module';
import { workerEnvironment } from './app/config/worker-environment';

async function bootstrap(): Promise<void> {
  const env = parseEnvironment(workerEnvironment, process.env);
  // Nest's Kafka server dies at start when its topics do not exist yet.
  const kafka = kafkaConnectionOf(env);
  await ensureTopics(kafka, ALL_TOPICS, {
    clientId: KAFKA_IDS.clientId,
    policy: topicPolicyOf(env),
  });

  // An HTTP app for the health endpoint, with the Kafka microservice (group subtask-consumer) attached.
  const app = await NestFactory.create(AppModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  enforceShutdownDeadline(env.SHUTDOWN_TIMEOUT_MS);
  app.connectMicroservice(
    contractMicroserviceOptions({
      connection: kafka,
      clientId: KAFKA_IDS.clientId,
      groupId: KAFKA_IDS.workerGroupId,
      registry: app.get(ContractRegistry),
      // A partition without a committed offset starts at its beginning: commands sent while no worker
      // ran are handled, not skipped (the worker is idempotent by request id).
      fromBeginning: true,
    }),
  );
  await app.startAllMicroservices();
  await app.listen(env.WORKER_HEALTH_PORT, env.HOST);
  app
    .get(Logger)
    .log(
      `subtask-worker consuming as ${KAFKA_IDS.workerGroupId}; health on http://${env.HOST}:${env.WORKER_HEALTH_PORT}/health`,
    );
}

bootstrap().catch((error: unknown) => {
  console.error(bootFailureText(error, process.env));
  process.exit(1);
});
