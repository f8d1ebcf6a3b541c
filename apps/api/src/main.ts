import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  bootFailureText,
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
import { apiEnvironment } from './app/config/api-environment';
import { docsEnabled } from './app/http-edge/api-docs';
import { configureHttpEdge } from './app/http-edge/configure-http-edge';

async function bootstrap(): Promise<void> {
  // Validated before Nest starts so a bad variable stops the boot with one clear message.
  const env = parseEnvironment(apiEnvironment, process.env);
  // Nest's Kafka client and server die at start when their topics do not exist yet.
  const kafka = kafkaConnectionOf(env);
  await ensureTopics(kafka, ALL_TOPICS, {
    clientId: KAFKA_IDS.clientId,
    policy: topicPolicyOf(env),
  });

  const app = await NestFactory.create(AppModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) =>
        new BadRequestException({
          statusCode: 400,
          code: 'INVALID_INPUT',
          message: errors.flatMap((e) => Object.values(e.constraints ?? {})),
          fields: errors.map((e) => e.property),
        }),
    }),
  );
  configureHttpEdge(app, env);

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
  await app.startAllMicroservices();
  await app.listen(env.PORT, env.HOST);
  app
    .get(Logger)
    .log(
      `api listening on http://${env.HOST}:${env.PORT} (health /health${docsEnabled(env) ? ', OpenAPI /docs' : ''})`,
    );
}

bootstrap().catch((error: unknown) => {
  console.error(bootFailureText(error, process.env));
  process.exit(1);
});
