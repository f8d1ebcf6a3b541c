import type { SubtaskResultUploaded } from '@subtasks/contracts';

/** Port through which the worker announces a stored result; resolves once the broker has it. */
export abstract class CompletionPublisher {
  abstract publish(event: SubtaskResultUploaded): Promise<void>;
}
