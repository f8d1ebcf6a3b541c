import './tracing';
import { runApp } from '@subtasks/app-shell';
import { KAFKA_IDS } from '@subtasks/contracts';
import { AppModule } from './app/app.module';
import { apiEnvironment } from './app/config/api-environment';
import { docsEnabled } from './app/http-edge/api-docs';
import { configureHttpEdge } from './app/http-edge/configure-http-edge';
import { configureRequestInput } from './app/input/configure-request-input';

runApp({
  name: 'api',
  module: AppModule,
  environment: apiEnvironment,
  port: (env) => env.PORT,
  // configureRequestInput parses bodies, with this api's limits and answers.
  nest: { bodyParser: false },
  configure: (app, env) => {
    configureHttpEdge(app, env);
    configureRequestInput(app);
  },
  // Hybrid app: also consumes the worker's completion event, unless it is an HTTP-only instance.
  consumers: (env) =>
    env.CONSUME_COMPLETION_EVENTS
      ? [{ name: 'completion consumer', groupId: KAFKA_IDS.apiGroupId }]
      : [],
  describe: (env) =>
    docsEnabled(env) ? ', OpenAPI /docs, AsyncAPI /asyncapi.json' : '',
});
