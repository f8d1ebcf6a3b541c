import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsStorableText } from '../../input/storable-text';

export class CreateSubtaskDto {
  @ApiProperty({ example: 'Label 10 street images', maxLength: 500 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  @IsStorableText()
  title!: string;
}
