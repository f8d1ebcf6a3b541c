import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SETTLED_OUTCOMES, type SettledOutcome } from '../upload-outcome';

export class UploadAcceptedView {
  @ApiProperty({
    description: 'Id of this upload (the idempotency key the worker uses).',
  })
  requestId!: string;
}

export class UploadFinishedView extends UploadAcceptedView {
  @ApiProperty({ enum: SETTLED_OUTCOMES, example: 'STORED' })
  outcome!: SettledOutcome;
  @ApiPropertyOptional({ type: Number, nullable: true }) resultVersion!:
    | number
    | null;
  @ApiPropertyOptional({ type: String, nullable: true }) reason!: string | null;
}
