// The Kafka deserializers the console consumer can print keys, values and headers with
// (--key-deserializer, --value-deserializer, key.deserializer=... formatter properties): the text
// their deserialized object's toString() gives, as DefaultMessageFormatter prints it, and their
// errors for data of the wrong size.

const PACKAGE = 'org.apache.kafka.common.serialization.';

/** Java's Double.toString / Float.toString for the shortest digits `digits` of a finite non-zero value. */
function javaFloatingText(x: number, shortest: (abs: number) => string): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const abs = Math.abs(x);
  const m = /^(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(Number(shortest(abs)).toExponential());
  if (!m) throw new Error(`unexpected number form ${abs}`);
  const digits = m[1] + (m[2] ?? '');
  const exponent = Number(m[3]);
  if (abs >= 1e-3 && abs < 1e7) {
    const point = exponent + 1;
    if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
    const whole = digits.slice(0, point).padEnd(point, '0');
    const frac = digits.slice(point) || '0';
    return `${sign}${whole}.${frac}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exponent}`;
}

export function javaDouble(x: number): string {
  return javaFloatingText(x, (abs) => String(abs));
}

export function javaFloat(x: number): string {
  return javaFloatingText(x, (abs) => {
    for (let p = 1; p < 17; p++) {
      const s = abs.toPrecision(p);
      if (Math.fround(Number(s)) === abs) return s;
    }
    return String(abs);
  });
}

function sized(name: string, size: number, label = name): (b: Buffer) => Buffer {
  return (b) => {
    if (b.length !== size) throw new Error(`Size of data received by ${label} is not ${size}`);
    return b;
  };
}

/** Kafka's Bytes.toString: printable ASCII as it is (but backslash), other bytes as \xNN. */
function bytesText(b: Buffer): string {
  let out = '';
  for (const byte of b) out += byte >= 0x20 && byte <= 0x7e && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

const DESERIALIZERS: Record<string, (b: Buffer) => string> = {
  StringDeserializer: (b) => b.toString('utf8'),
  UUIDDeserializer: (b) => b.toString('utf8').toLowerCase(),
  BytesDeserializer: bytesText,
  ShortDeserializer: (b) => String(sized('ShortDeserializer', 2)(b).readInt16BE(0)),
  IntegerDeserializer: (b) => String(sized('IntegerDeserializer', 4)(b).readInt32BE(0)),
  LongDeserializer: (b) => String(sized('LongDeserializer', 8)(b).readBigInt64BE(0)),
  FloatDeserializer: (b) => javaFloat(sized('FloatDeserializer', 4, 'Deserializer')(b).readFloatBE(0)),
  DoubleDeserializer: (b) => javaDouble(sized('DoubleDeserializer', 8, 'Deserializer')(b).readDoubleBE(0)),
};

export type Deserialize = (bytes: Buffer) => Buffer;

/** The deserializer of that class name, or undefined when it is not one of these. */
export function deserializer(className: string): Deserialize | undefined {
  const simple = className.startsWith(PACKAGE) ? className.slice(PACKAGE.length) : undefined;
  const fn = simple !== undefined ? DESERIALIZERS[simple] : undefined;
  return fn && ((bytes) => Buffer.from(fn(bytes), 'utf8'));
}
