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
  MessagingReadiness,
} from '@subtasks/messaging';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app/app.module';
import { apiEnvironment } from './app/config/api-environment';
import { docsEnabled } from './app/http-edge/api-docs';
import { configureHttpEdge } from './app/http-edge/configure-http-edge';
import { configureRequestInput } from './app/input/configure-request-input';

async function bootstrap(): Promise<void> {
  // Validated before Nest starts so a bad variable stops the boot with one clear message.
  const env = parseEnvironment(apiEnvironment, process.env);
  // Nest's Kafka client and server die at start when their topics do not exist yet.
  const kafka = kafkaConnectionOf(env);
  await ensureTopics(kafka, ALL_TOPICS, {
    clientId: KAFKA_IDS.clientId,
    policy: topicPolicyOf(env),
  });

  const app = await NestFactory.create(AppModule, {
    bufferLogs: true,
    // configureRequestInput parses bodies, with this api's limits and answers.
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  enforceShutdownDeadline(env.SHUTDOWN_TIMEOUT_MS);
  configureHttpEdge(app, env);
  configureRequestInput(app);

  if (env.CONSUME_COMPLETION_EVENTS) {
    // Hybrid app: also consumes the worker's completion event (group subtask-api).
    app.connectMicroservice(
      contractMicroserviceOptions({
        connection: kafka,
        clientId: KAFKA_IDS.clientId,
        groupId: KAFKA_IDS.apiGroupId,
        registry: app.get(ContractRegistry),
        // Events sent while no API consumed them still clear their flags.
        fromBeginning: true,
      }),
    );
  }
  // HTTP first: after a restart the api answers (and health says what is not ready) while its
  // consumers rejoin their groups, which can take a session timeout.
  await app.listen(env.PORT, env.HOST);
  app
    .get(Logger)
    .log(
      `api listening on http://${env.HOST}:${env.PORT} (health /health${docsEnabled(env) ? ', OpenAPI /docs' : ''})`,
    );
  if (env.CONSUME_COMPLETION_EVENTS) {
    const readiness = app.get(MessagingReadiness);
    readiness.joining('completion consumer');
    await app.startAllMicroservices();
    readiness.ready('completion consumer');
  }
}

bootstrap().catch((error: unknown) => {
  console.error(bootFailureText(error, process.env));
  process.exit(1);
});
