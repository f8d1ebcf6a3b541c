import { ValidationPipe } from '@nestjs/common';
import { invalidInput } from './input-errors';

/** DTOs as the only accepted shape: unknown fields are refused, each error names its field. */
export function inputValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      invalidInput(
        errors.flatMap((e) => Object.values(e.constraints ?? {})),
        errors.map((e) => e.property),
      ),
  });
}
