import { Controller } from '@nestjs/common';
import {
  UploadSubtaskResult,
  UploadSubtaskResultReply,
} from '@subtasks/contracts';
import {
  CommandHandler,
  ContractPayload,
  annotateActiveSpan,
} from '@subtasks/messaging';
import { UploadsService, rejectedUpload } from './uploads.service';

/**
 * The message pattern (`send` + `@MessagePattern`): the return value is the reply. A command from
 * any other Confluent client (no reply headers) is handled the same way; Nest just sends no reply.
 * A command that can never be stored is parked by the messaging failure policy and answered REJECTED.
 */
@Controller()
export class UploadSubtaskResultHandler {
  constructor(private readonly uploads: UploadsService) {}

  @CommandHandler(UploadSubtaskResult, {
    rejectWith: (command, reason) => rejectedUpload(command, reason),
  })
  async upload(
    @ContractPayload() command: UploadSubtaskResult,
  ): Promise<UploadSubtaskResultReply> {
    annotateActiveSpan(uploadAttributes(command));
    return this.uploads.uploadSubtaskResult(command);
  }
}

/** The span attributes that name an upload, the same in both apps. */
function uploadAttributes(
  command: UploadSubtaskResult,
): Record<string, string> {
  return {
    'subtask.id': command.subtaskId,
    'upload.request_id': command.requestId,
  };
}
