import type { UploadSubtaskResult } from '@subtasks/contracts';
import { PermanentFailure } from '@subtasks/messaging';

const MAX_ID_LENGTH = 200;

/**
 * The schema lets any string through; the worker's own rules come on top. An empty request id
 * would be an idempotency key shared by every such command; a NUL byte can never be stored. Both
 * are final: the command is parked at once, not retried.
 */
export function assertStorable(command: UploadSubtaskResult): void {
  for (const [field, value] of [
    ['subtaskId', command.subtaskId],
    ['requestId', command.requestId],
  ] as const) {
    if (value.trim() === '')
      throw new PermanentFailure('INVALID_COMMAND', `${field} is empty`);
    if (value.length > MAX_ID_LENGTH)
      throw new PermanentFailure(
        'INVALID_COMMAND',
        `${field} is longer than ${MAX_ID_LENGTH} characters`,
      );
    if (value.includes('\u0000') || /\p{Cs}/u.test(value))
      throw new PermanentFailure(
        'INVALID_COMMAND',
        `${field} holds a NUL character or invalid text`,
      );
  }
}
