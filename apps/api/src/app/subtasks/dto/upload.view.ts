import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class UploadAcceptedView {
  @ApiProperty({
    description: 'Id of this upload (the idempotency key the worker uses).',
  })
  requestId!: string;
}

export class UploadFinishedView extends UploadAcceptedView {
  @ApiProperty({ example: 'STORED' }) outcome!: string;
  @ApiPropertyOptional({ type: Number, nullable: true }) resultVersion!:
    | number
    | null;
  @ApiPropertyOptional({ type: String, nullable: true }) reason!: string | null;
}
