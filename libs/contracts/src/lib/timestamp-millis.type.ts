import { Type, types } from 'avsc';

function isValidDate(value: unknown): value is Date {
  // toString instead of instanceof: Dates made in another realm (vm, Jest) are still Dates.
  return (
    Object.prototype.toString.call(value) === '[object Date]' &&
    !Number.isNaN((value as Date).getTime())
  );
}

/**
 * Avro `timestamp-millis` (a `long` of milliseconds since the Unix epoch) as a JavaScript `Date`.
 * avsc 5 has no built-in implementation: without it a `Date` fails validation as `long`.
 */
export class TimestampMillisType extends types.LogicalType {
  protected override _fromValue(millis: number): Date {
    return new Date(millis);
  }

  protected override _toValue(value: unknown): number | undefined {
    // Only Dates: accepting numbers too would make unions with a `long` branch ambiguous.
    return isValidDate(value) ? value.getTime() : undefined;
  }

  protected override _resolve(
    writerType: Type,
  ): ((value: unknown) => Date) | undefined {
    if (writerType instanceof TimestampMillisType) {
      return (value) => value as Date;
    }
    // int is promotable to long, so a writer may have used either.
    if (Type.isType(writerType, 'long', 'int')) {
      return (value) => this._fromValue(value as number);
    }
    return undefined;
  }
}
