import {
  Cursor,
  VarintError,
  readUVarint,
  readVarint,
  readVarlong,
  sizeOfVarint,
  sizeOfVarlong,
  writeVarint,
  writeVarlong,
} from '../../../protocol/codec/varint';

function encodeVarint(v: number): Buffer {
  const buf = Buffer.alloc(5);
  const end = writeVarint(buf, 0, v);
  expect(end).toBe(sizeOfVarint(v));
  return buf.subarray(0, end);
}

function encodeVarlong(v: bigint): Buffer {
  const buf = Buffer.alloc(10);
  const end = writeVarlong(buf, 0, v);
  expect(end).toBe(sizeOfVarlong(v));
  return buf.subarray(0, end);
}

function cursor(bytes: number[]): Cursor {
  return { buf: Buffer.from(bytes), pos: 0 };
}

describe('zigzag varint', () => {
  it.each([
    [0, [0x00]],
    [-1, [0x01]],
    [1, [0x02]],
    [-64, [0x7f]],
    [64, [0x80, 0x01]],
    [2147483647, [0xfe, 0xff, 0xff, 0xff, 0x0f]],
    [-2147483648, [0xff, 0xff, 0xff, 0xff, 0x0f]],
  ])('encodes %d as Kafka does', (value, bytes) => {
    expect([...encodeVarint(value)]).toEqual(bytes);
    const c = cursor(bytes);
    expect(readVarint(c)).toBe(value);
    expect(c.pos).toBe(bytes.length);
  });

  it('rejects truncated input', () => {
    expect(() => readVarint(cursor([0x80, 0x80]))).toThrow(VarintError);
    expect(() => readVarint(cursor([]))).toThrow(VarintError);
  });

  it('rejects a sixth byte and values over 32 bits', () => {
    expect(() => readUVarint(cursor([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]))).toThrow(VarintError);
    expect(() => readUVarint(cursor([0xff, 0xff, 0xff, 0xff, 0x1f]))).toThrow(VarintError);
  });
});

describe('zigzag varlong', () => {
  const max = 2n ** 63n - 1n;
  const min = -(2n ** 63n);
  it.each([
    [0n, 1],
    [-1n, 1],
    [1n, 1],
    [2147483647n, 5],
    [-2147483648n, 5],
    [max, 10],
    [min, 10],
  ])('round-trips %s', (value, size) => {
    const bytes = encodeVarlong(value);
    expect(bytes.length).toBe(size);
    const c: Cursor = { buf: bytes, pos: 0 };
    expect(readVarlong(c)).toBe(value);
    expect(c.pos).toBe(size);
  });

  it('encodes int64 min/max with the expected bytes', () => {
    expect([...encodeVarlong(max)]).toEqual([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
    expect([...encodeVarlong(min)]).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  });

  it('rejects overlong and truncated input', () => {
    expect(() => readVarlong(cursor(new Array(10).fill(0x80).concat([0x00])))).toThrow(VarintError);
    expect(() => readVarlong(cursor([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x03]))).toThrow(VarintError);
    expect(() => readVarlong(cursor([0xff, 0xff]))).toThrow(VarintError);
  });

  it('matches the varint bytes for values in int32 range', () => {
    for (const v of [0, 1, -1, 300, -300, 2147483647, -2147483648]) {
      expect(encodeVarlong(BigInt(v))).toEqual(encodeVarint(v));
    }
  });
});
