import { REQUEST_ID_HEADER, withRequestIdInLogs } from '@subtasks/config';
import type { MessageScope } from '@subtasks/messaging';

/**
 * Handles each consumed message with its request id on every log line written meanwhile — the
 * handler's, the failure policy's, the database's — under the key an HTTP request's lines use, so one
 * upload's lines join across both apps without any handler copying the id.
 */
export const bindRequestIdToLogs: MessageScope = (carried, handle) => {
  const requestId = carried[REQUEST_ID_HEADER];
  return requestId === undefined
    ? handle()
    : withRequestIdInLogs(requestId, handle);
};
