import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { SubtaskErrorFilter } from './subtask-error.filter';
import { SubtasksController } from './subtasks.controller';
import { SubtasksService } from './subtasks.service';
import { UploadCompletionConsumer } from './upload-completion.consumer';
import { UploadMetrics } from './upload-metrics';
import { UploadReconciler } from './upload-reconciler';

@Module({
  controllers: [SubtasksController, UploadCompletionConsumer],
  providers: [
    SubtasksService,
    UploadReconciler,
    UploadMetrics,
    { provide: APP_FILTER, useClass: SubtaskErrorFilter },
  ],
})
export class SubtasksModule {}
