import {
  BadRequestException,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  type PipeTransform,
} from '@nestjs/common';
import type { Request } from 'express';

const MAX_LENGTH = 200;
/** Visible ASCII: keys are opaque client tokens (UUIDs, usually), compared byte for byte. */
const KEY = /^[\x21-\x7e]+$/;

/** The optional `Idempotency-Key` header: absent, or 1–200 visible ASCII characters (else 400). */
@Injectable()
export class IdempotencyKeyPipe
  implements PipeTransform<unknown, string | undefined>
{
  transform(value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (
      typeof value !== 'string' ||
      value.length > MAX_LENGTH ||
      !KEY.test(value)
    )
      throw new BadRequestException({
        statusCode: 400,
        code: 'INVALID_INPUT',
        message: [
          `Idempotency-Key must be 1 to ${MAX_LENGTH} visible ASCII characters`,
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
