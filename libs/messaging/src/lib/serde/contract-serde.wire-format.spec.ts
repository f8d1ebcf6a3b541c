import { MessagingError } from '../errors/messaging-error';
import { Type } from 'avsc';
import {
  encodeFramed,
  frame,
  unframe,
  WIRE_HEADER_LENGTH,
} from './contract-serde';

function failureOf(value: unknown): MessagingError {
  try {
    unframe(value, 'SOME_TOPIC');
  } catch (error) {
    if (error instanceof MessagingError) {
      return error;
    }
    throw error;
  }
  throw new Error('unframe accepted the value');
}

describe('Confluent wire format', () => {
  it('writes magic byte 0, the schema id as a 4-byte big-endian int, then the body', () => {
    const framed = frame(0x01020304, Buffer.from([0xaa, 0xbb]));

    expect(framed.toString('hex')).toBe('0001020304aabb');
    expect(WIRE_HEADER_LENGTH).toBe(5);
  });

  it('encodes a record straight into a frame equal to framing its Avro body', () => {
    const type = Type.forSchema({
      type: 'record',
      name: 'R',
      fields: [{ name: 'text', type: 'string' }],
    });
    const record = { text: 'hello' };

    expect(encodeFramed(42, type, record)).toEqual(
      frame(42, type.toBuffer(record)),
    );
  });

  it('encodes records larger than its reused buffer, and small ones after them', () => {
    const type = Type.forSchema({ type: 'string' });
    const large = 'x'.repeat(100_000);

    const framed = encodeFramed(3, type, large);
    const small = encodeFramed(4, type, 'y');

    expect(type.fromBuffer(unframe(framed, 'T').body)).toBe(large);
    expect(unframe(framed, 'T').schemaId).toBe(3);
    expect(small.toString('hex')).toBe('00000000040279');
  });

  it('reads back the id and the body', () => {
    const { schemaId, body } = unframe(
      Buffer.from('00000003e8cafe', 'hex'),
      'T',
    );

    expect(schemaId).toBe(1000);
    expect(body.toString('hex')).toBe('cafe');
  });

  it('accepts an empty body (a record without fields)', () => {
    expect(unframe(frame(5, Buffer.alloc(0)), 'T').body).toHaveLength(0);
  });

  it('rejects ids that do not fit in a signed 32-bit int', () => {
    expect(() => frame(-1, Buffer.alloc(0))).toThrow(RangeError);
    expect(() => frame(2 ** 31, Buffer.alloc(0))).toThrow(RangeError);
    expect(() => frame(1.5, Buffer.alloc(0))).toThrow(RangeError);
    expect(() => encodeFramed(-1, Type.forSchema('int'), 1)).toThrow(
      RangeError,
    );
  });

  it.each([
    ['null', null, 'a null value'],
    ['undefined', undefined, 'a undefined value'],
    ['an empty buffer', Buffer.alloc(0), 'an empty value'],
    ['a 3-byte buffer', Buffer.from([0, 0, 1]), 'only 3 byte(s) (000001)'],
    ['a 4-byte buffer', Buffer.from([0, 0, 0, 1]), 'only 4 byte(s)'],
    ['JSON text bytes', Buffer.from('{"subtaskId":"1"}'), 'first byte 0x7b'],
    ['a magic byte of 1', Buffer.from([1, 0, 0, 0, 1, 2]), 'first byte 0x01'],
    ['a string', '{"a":1}', 'a text value of 7 character(s)'],
  ])('rejects %s as NO_MAGIC_BYTE, naming the topic', (_case, value, found) => {
    const error = failureOf(value);

    expect(error.code).toBe('NO_MAGIC_BYTE');
    expect(error.topic).toBe('SOME_TOPIC');
    expect(error.message).toContain('SOME_TOPIC');
    expect(error.message).toContain(found);
    expect(error.retriable).toBe(false);
  });
});
