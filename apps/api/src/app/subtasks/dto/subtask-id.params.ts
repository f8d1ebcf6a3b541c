import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsStorableText } from '../../input/storable-text';

/** Ids are UUIDs; the bound only keeps absurd ones from reaching the database and the logs. */
export const SUBTASK_ID_MAX_LENGTH = 100;

export class SubtaskIdParams {
  @ApiProperty({
    description: 'The id POST /subtasks answered with.',
    maxLength: SUBTASK_ID_MAX_LENGTH,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(SUBTASK_ID_MAX_LENGTH)
  @IsStorableText()
  id!: string;
}
