import {
  BadRequestException,
  HttpException,
  HttpStatus,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';

export const INPUT_ERROR_CODES = {
  invalidInput: 'INVALID_INPUT',
  payloadTooLarge: 'PAYLOAD_TOO_LARGE',
  unsupportedMediaType: 'UNSUPPORTED_MEDIA_TYPE',
} as const;

/** 400 INVALID_INPUT: what is wrong (`messages`) and which fields it is about (empty: the body). */
export function invalidInput(
  messages: readonly string[],
  fields: readonly string[] = [],
): HttpException {
  return new BadRequestException({
    statusCode: HttpStatus.BAD_REQUEST,
    code: INPUT_ERROR_CODES.invalidInput,
    message: [...messages],
    fields: [...fields],
  });
}

export function payloadTooLarge(limit: string): HttpException {
  return new PayloadTooLargeException({
    statusCode: HttpStatus.PAYLOAD_TOO_LARGE,
    code: INPUT_ERROR_CODES.payloadTooLarge,
    message: `the body must be at most ${limit}`,
  });
}

export function unsupportedMediaType(message: string): HttpException {
  return new UnsupportedMediaTypeException({
    statusCode: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    code: INPUT_ERROR_CODES.unsupportedMediaType,
    message,
  });
}
