import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { Metrics, sharedEnvironment } from '@subtasks/config';
import { KAFKA_IDS } from '@subtasks/contracts';
import { MessagingReadiness, ProcessingHealth } from '@subtasks/messaging';
import { SubtasksRepository } from '@subtasks/subtasks-db';
import { Logger } from 'nestjs-pino';
import { z } from 'zod';
import { AppShellModule } from './app-shell.module';
import { bootApp } from './boot-app';

const environment = sharedEnvironment.extend({
  HOST: z.string().default('127.0.0.1'),
  SHELL_TEST_PORT: z.coerce.number().int().default(0),
});

const savedEnv = { ...process.env };
afterEach(() => {
  process.env = { ...savedEnv };
});

describe('AppShellModule', () => {
  it('provides configuration, logger, database, messaging, health and metrics to the app', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        AppShellModule.forRoot({
          name: 'shell-test',
          environment,
          messaging: () => ({ groupId: KAFKA_IDS.workerGroupId }),
        }),
      ],
    }).compile();

    // Compiled, not initialised: nothing has connected yet.
    for (const provided of [
      ConfigService,
      Logger,
      SubtasksRepository,
      MessagingReadiness,
      ProcessingHealth,
      Metrics,
    ]) {
      expect(moduleRef.get(provided, { strict: false })).toBeInstanceOf(
        provided,
      );
    }
    expect(
      moduleRef.get(ConfigService).get('SHELL_TEST_PORT', { infer: true }),
    ).toBe(0);
  });

  it("refuses a bad variable of the app's, naming it", async () => {
    process.env['SHELL_TEST_PORT'] = 'eighty';

    await expect(
      Test.createTestingModule({
        imports: [
          AppShellModule.forRoot({
            name: 'shell-test',
            environment,
            messaging: () => ({ groupId: KAFKA_IDS.workerGroupId }),
          }),
        ],
      }).compile(),
    ).rejects.toThrow(/SHELL_TEST_PORT/);
  });
});

describe('bootApp', () => {
  it('stops before touching Kafka or Nest when a variable is bad', async () => {
    process.env['KAFKA_BROKERS'] = 'not a broker list';

    await expect(
      bootApp({
        name: 'shell-test',
        module: class NeverCreated {},
        environment,
        port: (env) => env.SHELL_TEST_PORT,
      }),
    ).rejects.toThrow(/KAFKA_BROKERS/);
  });
});
