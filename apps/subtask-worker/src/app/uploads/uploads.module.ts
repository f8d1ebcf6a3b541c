import { Module } from '@nestjs/common';
import { REQUEST_ID_HEADER } from '@subtasks/config';
import { ContractClient } from '@subtasks/messaging';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { CompletionPublisher } from './completion-publisher';
import { RetryPolicy } from './retry-policy';
import { UploadSubtaskResultHandler } from './upload-subtask-result.handler';
import { UploadsService } from './uploads.service';

@Module({
  imports: [DeadLettersModule],
  controllers: [UploadSubtaskResultHandler],
  providers: [
    UploadsService,
    RetryPolicy,
    {
      // The event pattern (`emit` + `@EventPattern` in the api): fire-and-forget, acknowledged by Kafka.
      provide: CompletionPublisher,
      inject: [ContractClient],
      useFactory: (client: ContractClient): CompletionPublisher => ({
        publish: (event) =>
          client.emit(event, {
            headers: { [REQUEST_ID_HEADER]: event.requestId },
          }),
      }),
    },
  ],
})
export class UploadsModule {}
