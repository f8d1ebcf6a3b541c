import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { InvalidEnvironmentError, parseEnvironment } from '@subtasks/config';
import { ALL_TOPICS, KAFKA_IDS } from '@subtasks/contracts';
import {
  ContractRegistry,
  contractMicroserviceOptions,
  ensureTopics,
} from '@subtasks/messaging';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app/app.module';
import { apiEnvironment } from './app/config/api-environment';

async function bootstrap(): Promise<void> {
  // Validated before Nest starts so a bad variable stops the boot with one clear message.
  const env = parseEnvironment(apiEnvironment, process.env);
  // Nest's Kafka client and server die at start when their topics do not exist yet.
  await ensureTopics(env.KAFKA_BROKERS, ALL_TOPICS);

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
  SwaggerModule.setup(
    'docs',
    app,
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Subtasks API')
        .setDescription(
          'Subtasks and the upload of their results to the subtask worker over Kafka.',
        )
        .build(),
    ),
  );

  if (env.CONSUME_COMPLETION_EVENTS) {
    // Hybrid app: also consumes the worker's completion event (group subtask-api).
    app.connectMicroservice(
      contractMicroserviceOptions({
        brokers: env.KAFKA_BROKERS,
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
      `api listening on http://${env.HOST}:${env.PORT} (health /health, OpenAPI /docs)`,
    );
}

bootstrap().catch((error: unknown) => {
  const message =
    error instanceof InvalidEnvironmentError ? error.message : error;
  console.error(message);
  process.exit(1);
});
