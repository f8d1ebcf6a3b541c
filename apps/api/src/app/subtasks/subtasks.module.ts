import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { KafkaUploadDispatcher } from './kafka-upload.dispatcher';
import { SubtaskErrorFilter } from './subtask-error.filter';
import { SubtasksController } from './subtasks.controller';
import { SubtasksService } from './subtasks.service';
import { UploadCompletionConsumer } from './upload-completion.consumer';
import { UploadDispatcher } from './upload-dispatcher';
import { UploadMetrics } from './upload-metrics';
import { UploadReconciler } from './upload-reconciler';

@Module({
  controllers: [SubtasksController, UploadCompletionConsumer],
  providers: [
    SubtasksService,
    UploadReconciler,
    UploadMetrics,
    { provide: UploadDispatcher, useClass: KafkaUploadDispatcher },
    { provide: APP_FILTER, useClass: SubtaskErrorFilter },
  ],
})
export class SubtasksModule {}
