import { ValidateBy, type ValidationOptions } from 'class-validator';

/** An unpaired UTF-16 surrogate: not Unicode text, refused by Prisma's JSON protocol. */
const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL (a text column) or Prisma would refuse `value`, or undefined when it is storable. */
export function unstorableTextReason(value: string): string | undefined {
  // PostgreSQL text cannot hold U+0000 at all.
  if (value.includes('\u0000'))
    return 'must not contain NUL (U+0000) characters';
  if (LONE_SURROGATE.test(value))
    return 'must be valid Unicode text (it contains an unpaired UTF-16 surrogate)';
  return undefined;
}

/** A string PostgreSQL can store as text; non-strings are left to @IsString. */
export function IsStorableText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStorableText',
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' ||
          unstorableTextReason(value) === undefined,
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} ${
            typeof args?.value === 'string'
              ? (unstorableTextReason(args.value) ?? 'must be storable text')
              : 'must be storable text'
          }`,
      },
    },
    options,
  );
}
