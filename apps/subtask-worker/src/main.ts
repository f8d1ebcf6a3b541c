import { NestFactory } from '@nestjs/core';
import { InvalidEnvironmentError, parseEnvironment } from '@subtasks/config';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app/app.module';
import { workerEnvironment } from './app/config/worker-environment';

async function bootstrap(): Promise<void> {
  const env = parseEnvironment(workerEnvironment, process.env);
  const app = await NestFactory.create(AppModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(env.WORKER_HEALTH_PORT, env.HOST);
  app
    .get(Logger)
    .log(
      `subtask-worker health on http://${env.HOST}:${env.WORKER_HEALTH_PORT}/health`,
    );
}

bootstrap().catch((error: unknown) => {
  const message =
    error instanceof InvalidEnvironmentError ? error.message : error;
  console.error(message);
  process.exit(1);
});
