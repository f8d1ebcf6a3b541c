import { Type } from 'avsc';
import { parseContractSchema } from './avro-schema';
import { TimestampMillisType } from './timestamp-millis.type';

describe('TimestampMillisType', () => {
  const timestamp = parseContractSchema({
    type: 'long',
    logicalType: 'timestamp-millis',
  });

  it('is what contract schemas use for timestamp-millis', () => {
    expect(timestamp).toBeInstanceOf(TimestampMillisType);
  });

  it('writes a Date as its milliseconds and reads it back as a Date', () => {
    const date = new Date('2024-02-29T12:34:56.789Z');
    const buffer = timestamp.toBuffer(date);

    expect(Type.forSchema('long').fromBuffer(buffer)).toBe(date.getTime());
    expect(timestamp.fromBuffer(buffer)).toEqual(date);
  });

  it('accepts only valid Dates', () => {
    expect(timestamp.isValid(new Date(0))).toBe(true);
    expect(timestamp.isValid(0)).toBe(false);
    expect(timestamp.isValid('2024-01-01')).toBe(false);
    expect(timestamp.isValid(new Date(Number.NaN))).toBe(false);
  });

  it('reads a plain long (or int) written by a producer without the logical type', () => {
    const long = Type.forSchema('long');
    const int = Type.forSchema('int');

    expect(
      timestamp.fromBuffer(
        long.toBuffer(86_400_000),
        timestamp.createResolver(long),
      ),
    ).toEqual(new Date('1970-01-02T00:00:00.000Z'));
    expect(
      timestamp.fromBuffer(int.toBuffer(1000), timestamp.createResolver(int)),
    ).toEqual(new Date(1000));
  });

  it('reads the same logical type written by another parse of the schema', () => {
    const writer = parseContractSchema({
      type: 'long',
      logicalType: 'timestamp-millis',
    });
    const date = new Date(123_456);

    expect(
      timestamp.fromBuffer(
        writer.toBuffer(date),
        timestamp.createResolver(writer),
      ),
    ).toEqual(date);
  });

  it('refuses to read a string as a timestamp', () => {
    expect(() => timestamp.createResolver(Type.forSchema('string'))).toThrow(
      /cannot read/,
    );
  });
});
