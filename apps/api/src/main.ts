import { NestFactory } from '@nestjs/core';
import { InvalidEnvironmentError, parseEnvironment } from '@subtasks/config';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app/app.module';
import { apiEnvironment } from './app/config/api-environment';

async function bootstrap(): Promise<void> {
  // Validated before Nest starts so a bad variable stops the boot with one clear message.
  const env = parseEnvironment(apiEnvironment, process.env);
  const app = await NestFactory.create(AppModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.listen(env.PORT, env.HOST);
  app
    .get(Logger)
    .log(`api listening on http://${env.HOST}:${env.PORT} (health: /health)`);
}

bootstrap().catch((error: unknown) => {
  const message =
    error instanceof InvalidEnvironmentError ? error.message : error;
  console.error(message);
  process.exit(1);
});
