import './tracing';
import { runApp } from '@subtasks/app-shell';
import { KAFKA_IDS } from '@subtasks/contracts';
import { AppModule } from './app/app.module';
import { workerEnvironment } from './app/config/worker-environment';

runApp({
  name: 'subtask-worker',
  module: AppModule,
  environment: workerEnvironment,
  port: (env) => env.WORKER_HEALTH_PORT,
  consumers: (env) => [
    {
      name: 'command consumer',
      groupId: KAFKA_IDS.workerGroupId,
      partitionsConsumedConcurrently: env.WORKER_CONCURRENT_PARTITIONS,
    },
  ],
});
