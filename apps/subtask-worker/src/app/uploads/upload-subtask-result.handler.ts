import { Controller } from '@nestjs/common';
import { Ctx, KafkaContext } from '@nestjs/microservices';
import {
  UploadSubtaskResult,
  UploadSubtaskResultReply,
} from '@subtasks/contracts';
import { REQUEST_ID_HEADER } from '@subtasks/config';
import {
  CommandHandler,
  ContractPayload,
  attachHeaders,
} from '@subtasks/messaging';
import { DeadLetterPublisher } from '../dead-letters/dead-letter.publisher';
import { UploadsService } from './uploads.service';

/**
 * The message pattern (`send` + `@MessagePattern`): the return value is the reply. A command from
 * any other Confluent client (no reply headers) is handled the same way; Nest just sends no reply.
 */
@Controller()
export class UploadSubtaskResultHandler {
  constructor(
    private readonly uploads: UploadsService,
    private readonly deadLetters: DeadLetterPublisher,
  ) {}

  @CommandHandler(UploadSubtaskResult)
  async upload(
    @ContractPayload() command: UploadSubtaskResult,
    @Ctx() context: KafkaContext,
  ): Promise<UploadSubtaskResultReply> {
    try {
      return withRequestId(await this.uploads.uploadSubtaskResult(command));
    } catch (error) {
      // Retries are spent: park the message and answer, so the partition and the caller move on.
      const reason = error instanceof Error ? error.message : String(error);
      const message = context.getMessage();
      await this.deadLetters.publish({
        sourceTopic: context.getTopic(),
        partition: context.getPartition(),
        offset: message.offset,
        key: message.key,
        value: Buffer.isBuffer(message.value) ? message.value : null,
        headers: message.headers ?? {},
        code: 'PROCESSING_FAILED',
        reason,
      });
      return withRequestId(
        new UploadSubtaskResultReply({
          requestId: command.requestId,
          subtaskId: command.subtaskId,
          outcome: 'REJECTED',
          resultVersion: null,
          reason: `not stored, dead-lettered after retries: ${reason}`,
        }),
      );
    }
  }
}

function withRequestId(
  reply: UploadSubtaskResultReply,
): UploadSubtaskResultReply {
  return attachHeaders(reply, { [REQUEST_ID_HEADER]: reply.requestId });
}
