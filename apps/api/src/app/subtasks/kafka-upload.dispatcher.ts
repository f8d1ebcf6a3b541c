import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { UploadSubtaskResult } from '@subtasks/contracts';
import { ContractClient } from '@subtasks/messaging';
import type { ApiEnvironment } from '../config/api-environment';
import { type DispatchedUpload, UploadDispatcher } from './upload-dispatcher';

/** Sends the command with Nest's request-reply (`send` + `@MessagePattern` in the worker). */
@Injectable()
export class KafkaUploadDispatcher extends UploadDispatcher {
  constructor(
    private readonly client: ContractClient,
    private readonly config: ConfigService<ApiEnvironment, true>,
  ) {
    super();
  }

  dispatch(command: UploadSubtaskResult): Promise<DispatchedUpload> {
    return this.client.dispatch(command, {
      timeoutMs: this.config.get('UPLOAD_REPLY_TIMEOUT_MS', { infer: true }),
    });
  }
}
