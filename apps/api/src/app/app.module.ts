import { Module } from '@nestjs/common';
import { AppShellModule } from '@subtasks/app-shell';
import { KAFKA_IDS } from '@subtasks/contracts';
import { databaseFailurePolicy } from '@subtasks/subtasks-db';
import { apiEnvironment } from './config/api-environment';
import { HttpEdgeModule } from './http-edge/http-edge.module';
import { HttpErrorsModule } from './http-errors/http-errors.module';
import { SubtasksModule } from './subtasks/subtasks.module';

@Module({
  imports: [
    AppShellModule.forRoot({
      name: 'api',
      environment: apiEnvironment,
      messaging: (config) => ({
        groupId: KAFKA_IDS.apiGroupId,
        // The reply consumer's group (Nest's `-client`) and, when on, the completion event's.
        lagGroups: [
          `${KAFKA_IDS.apiGroupId}-client`,
          ...(config.get('CONSUME_COMPLETION_EVENTS', { infer: true })
            ? [KAFKA_IDS.apiGroupId]
            : []),
        ],
        // HTTP is served while the reply consumer joins; health says when it is ready.
        connectInBackground: true,
        // The completion consumer waits out a database outage instead of dropping events.
        failurePolicy: { classify: databaseFailurePolicy },
      }),
    }),
    HttpEdgeModule,
    // Before SubtasksModule, whose error filter must be tried before this catch-all.
    HttpErrorsModule,
    SubtasksModule,
  ],
})
export class AppModule {}
