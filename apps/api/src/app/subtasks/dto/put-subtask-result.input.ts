import {
  BadRequestException,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  type PipeTransform,
} from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import type { Request } from 'express';

/*
 * What PUT /subtasks/:id/result takes besides its path: the body, the query and the optional
 * Idempotency-Key header.
 */

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

const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
/** Visible ASCII: keys are opaque client tokens (UUIDs, usually), compared byte for byte. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]+$/;

/** The optional `Idempotency-Key` header: absent, or 1–200 visible ASCII characters (else 400). */
@Injectable()
export class IdempotencyKeyPipe
  implements PipeTransform<unknown, string | undefined>
{
  transform(value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (
      typeof value !== 'string' ||
      value.length > MAX_IDEMPOTENCY_KEY_LENGTH ||
      !IDEMPOTENCY_KEY.test(value)
    )
      throw new BadRequestException({
        statusCode: 400,
        code: 'INVALID_INPUT',
        message: [
          `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters`,
        ],
        fields: ['Idempotency-Key'],
      });
    return value;
  }
}

/** The request's `Idempotency-Key` header, checked by {@link IdempotencyKeyPipe}. */
export const IdempotencyKey = createParamDecorator(
  (_: unknown, context: ExecutionContext): unknown =>
    context.switchToHttp().getRequest<Request>().headers['idempotency-key'],
);
