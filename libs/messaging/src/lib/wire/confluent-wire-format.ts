import type { Type } from 'avsc';
import { MessagingError } from '../errors/messaging-error';

/** Confluent wire format: byte 0, then the schema id as a 4-byte big-endian int, then the Avro body. */
export const MAGIC_BYTE = 0;
export const WIRE_HEADER_LENGTH = 5;

const MAX_SCHEMA_ID = 0x7fffffff;
const SHOWN_PREFIX_BYTES = 8;

/** A value split into its schema id and Avro body. */
export interface FramedValue {
  readonly schemaId: number;
  readonly body: Buffer;
}

const INITIAL_SCRATCH_BYTES = 4096;

/**
 * Encodes into one reused buffer, then copies out a value of the exact size: avsc's `toBuffer`
 * allocates a zero-filled buffer per call and `Buffer.concat` a second one, which cost more than
 * the encoding itself. Safe to share because encoding is synchronous.
 */
let scratch = Buffer.allocUnsafe(INITIAL_SCRATCH_BYTES);

/** Prepends the wire header to an Avro body. */
export function frame(schemaId: number, body: Buffer): Buffer {
  const value = Buffer.allocUnsafe(WIRE_HEADER_LENGTH + body.length);
  writeHeader(value, schemaId);
  body.copy(value, WIRE_HEADER_LENGTH);
  return value;
}

/** Encodes `record` with `type` straight into a framed value (header + Avro body). */
export function encodeFramed(
  schemaId: number,
  type: Type,
  record: unknown,
): Buffer {
  let end = type.encode(record, scratch, WIRE_HEADER_LENGTH);
  if (end < 0) {
    // avsc returns minus the missing byte count when the buffer is too small.
    scratch = Buffer.allocUnsafe(
      Math.max(scratch.length * 2, scratch.length - end),
    );
    end = type.encode(record, scratch, WIRE_HEADER_LENGTH);
  }
  const value = Buffer.allocUnsafe(end);
  scratch.copy(value, 0, 0, end);
  writeHeader(value, schemaId);
  return value;
}

function writeHeader(value: Buffer, schemaId: number): void {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > MAX_SCHEMA_ID) {
    throw new RangeError(
      `Schema id must be an integer between 0 and ${MAX_SCHEMA_ID}, got ${schemaId}`,
    );
  }
  value.writeUInt8(MAGIC_BYTE, 0);
  // Signed, like Confluent's Java serializer (ByteBuffer.putInt).
  value.writeInt32BE(schemaId, 1);
}

/** Reads the wire header; throws NO_MAGIC_BYTE naming the topic and what was found instead. */
export function unframe(value: unknown, topic: string): FramedValue {
  if (!Buffer.isBuffer(value)) {
    throw noMagicByte(topic, describeNonBuffer(value));
  }
  if (value.length < WIRE_HEADER_LENGTH) {
    throw noMagicByte(
      topic,
      value.length === 0
        ? 'an empty value'
        : `only ${value.length} byte(s) (${value.toString('hex')})`,
    );
  }
  if (value.readUInt8(0) !== MAGIC_BYTE) {
    throw noMagicByte(
      topic,
      `first byte 0x${value.subarray(0, 1).toString('hex')} (value starts ${value
        .subarray(0, SHOWN_PREFIX_BYTES)
        .toString('hex')})`,
    );
  }
  return {
    schemaId: value.readInt32BE(1),
    body: value.subarray(WIRE_HEADER_LENGTH),
  };
}

function noMagicByte(topic: string, found: string): MessagingError {
  return new MessagingError(
    'NO_MAGIC_BYTE',
    `Message on topic ${topic} is not in Confluent wire format (magic byte 0 + 4-byte schema id + Avro body): got ${found}`,
    { topic },
  );
}

function describeNonBuffer(value: unknown): string {
  if (value === null || value === undefined) {
    return `a ${String(value)} value`;
  }
  if (typeof value === 'string') {
    return `a text value of ${value.length} character(s)`;
  }
  return `a value of type ${typeof value}`;
}
