import { Controller } from '@nestjs/common';
import { SubtaskResultUploaded } from '@subtasks/contracts';
import { ContractPayload, EventHandler } from '@subtasks/messaging';
import { SubtasksService } from './subtasks.service';

/**
 * The event path (`emit` + `@EventPattern`): the worker's completion event clears the flag even when
 * the reply was lost. A stale event (older request id) changes nothing.
 */
@Controller()
export class UploadCompletionConsumer {
  constructor(private readonly subtasks: SubtasksService) {}

  @EventHandler(SubtaskResultUploaded)
  async uploaded(
    @ContractPayload() event: SubtaskResultUploaded,
  ): Promise<void> {
    await this.subtasks.settleUpload({
      subtaskId: event.subtaskId,
      requestId: event.requestId,
      outcome: event.outcome,
      reason: event.reason,
      source: 'event',
    });
  }
}
