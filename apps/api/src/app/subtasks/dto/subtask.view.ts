import { ApiProperty } from '@nestjs/swagger';
import {
  LOCAL_UPLOAD_OUTCOME,
  type SubtaskRecord,
} from '@subtasks/subtasks-db';
import {
  SETTLED_OUTCOMES,
  type SettledOutcome,
  settledOutcomeOf,
} from '../upload-outcome';

/** Stored with PUBLISH_FAILED is the broker's reason: for the log, not for clients. */
const NOT_PUBLISHED_ERROR = 'the upload command could not be published';

/** What a client sees of a subtask, its upload state included. */
export class SubtaskView {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'True while an upload is in flight.' })
  uploading!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Request id of the upload in flight, or of the last one.',
  })
  uploadRequestId!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  uploadStartedAt!: string | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Latest stored result version.',
  })
  resultVersion!: number | null;
  @ApiProperty({
    enum: SETTLED_OUTCOMES,
    nullable: true,
    description: 'How the last upload ended.',
  })
  lastOutcome!: SettledOutcome | null;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty({
    description: 'True once a result was stored with isWorkerComplete.',
  })
  submitted!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static of(record: SubtaskRecord): SubtaskView {
    return {
      id: record.id,
      title: record.title,
      uploading: record.uploading,
      uploadRequestId: record.uploadRequestId,
      uploadStartedAt: record.uploadStartedAt?.toISOString() ?? null,
      resultVersion: record.resultVersion,
      lastOutcome:
        record.lastOutcome === null
          ? null
          : settledOutcomeOf(record.lastOutcome),
      lastError:
        record.lastOutcome === LOCAL_UPLOAD_OUTCOME.publishFailed &&
        record.lastError !== null
          ? NOT_PUBLISHED_ERROR
          : record.lastError,
      submitted: record.submitted,
      createdAt: record.createdAt.toISOString(),
      updatedAt: record.updatedAt.toISOString(),
    };
  }
}
