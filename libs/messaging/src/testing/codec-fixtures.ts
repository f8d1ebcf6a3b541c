import {
  UploadSubtaskResult,
  UploadSubtaskResultReply,
} from '@subtasks/contracts';
import { InMemorySchemaLookup } from './in-memory-schema-lookup';
import { ContractSerde } from '../lib/serde/contract-serde';

/** What both sides of the codec specs encode and decode with: the command and reply schemas, ids 11 and 12. */
const codecSchemas = new InMemorySchemaLookup()
  .add(11, UploadSubtaskResult.schemaJson, UploadSubtaskResult.subject)
  .add(
    12,
    UploadSubtaskResultReply.schemaJson,
    UploadSubtaskResultReply.subject,
  );
export const codecSerde = new ContractSerde(codecSchemas);

export const codecCommand = new UploadSubtaskResult({
  subtaskId: 'subtask-42',
  requestId: 'req-1',
  requestedAt: new Date('2024-01-02T03:04:05.678Z'),
});
