import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

const BOOLEAN_WORDS: Record<string, boolean> = { true: true, false: false };

export class PutSubtaskResultDto {
  @ApiPropertyOptional({
    description:
      'True when the worker submits the subtask as finished; false (default) only saves.',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  isWorkerComplete?: boolean;
}

export class PutSubtaskResultQuery {
  @ApiPropertyOptional({
    description:
      "Wait for the worker's reply (up to the reply timeout) and answer 200 with the outcome.",
    default: false,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? (BOOLEAN_WORDS[value] ?? value) : value,
  )
  @IsBoolean()
  wait?: boolean;
}
