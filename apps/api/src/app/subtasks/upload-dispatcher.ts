import type {
  UploadSubtaskResult,
  UploadSubtaskResultReply,
} from '@subtasks/contracts';

export interface DispatchedUpload {
  /** Settles when the worker's reply arrives, or rejects when it does not arrive in time. */
  reply: Promise<UploadSubtaskResultReply>;
}

/**
 * Port through which the service hands an upload command to the worker. Resolves once the broker
 * has acknowledged the command; rejects when it could not be published.
 */
export abstract class UploadDispatcher {
  abstract dispatch(command: UploadSubtaskResult): Promise<DispatchedUpload>;
}
