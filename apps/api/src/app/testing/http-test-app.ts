import { Writable } from 'node:stream';
import type { INestApplication, ModuleMetadata } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { loggerParams, parseEnvironment } from '@subtasks/config';
import { LoggerModule } from 'nestjs-pino';
import type { Options } from 'pino-http';
import { apiEnvironment } from '../config/api-environment';

export type LogLine = Record<string, unknown>;

export interface HttpTestApp {
  readonly app: INestApplication;
  readonly baseUrl: string;
  /** Every JSON line the app logged, with the request fields production logs carry. */
  readonly logs: readonly LogLine[];
  close(): Promise<void>;
}

/**
 * A Nest app over real HTTP with the api's validated configuration and its JSON logger (captured),
 * for specs of what a client sees and what the log keeps. `configure` runs before `listen`.
 */
export async function startHttpTestApp(
  metadata: ModuleMetadata,
  options: {
    env?: Record<string, string>;
    bodyParser?: boolean;
    configure?: (app: INestApplication) => void;
  } = {},
): Promise<HttpTestApp> {
  const savedEnv = { ...process.env };
  const env = parseEnvironment(apiEnvironment, options.env ?? {});
  const logs: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(JSON.parse(chunk.toString()) as LogLine);
      done();
    },
  });
  const params = loggerParams('api', 'info');
  const moduleRef = await Test.createTestingModule({
    ...metadata,
    imports: [
      ConfigModule.forRoot({
        isGlobal: true,
        ignoreEnvFile: true,
        validate: () => env,
      }),
      LoggerModule.forRoot({
        ...params,
        pinoHttp: [params.pinoHttp as Options, sink],
      }),
      ...(metadata.imports ?? []),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({
    logger: false,
    bodyParser: options.bodyParser ?? true,
  });
  options.configure?.(app);
  await app.listen(0, '127.0.0.1');
  return {
    app,
    baseUrl: await app.getUrl(),
    logs,
    close: async () => {
      await app.close();
      // ConfigModule copies validated values into process.env.
      process.env = savedEnv;
    },
  };
}
