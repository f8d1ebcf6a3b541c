/**
 * What became of an upload, as the subtask records it. The worker's outcomes come from the reply
 * contract; TIMED_OUT and PUBLISH_FAILED are decided by the API itself.
 */
export const LOCAL_UPLOAD_OUTCOMES = ['TIMED_OUT', 'PUBLISH_FAILED'] as const;
export type LocalUploadOutcome = (typeof LOCAL_UPLOAD_OUTCOMES)[number];
