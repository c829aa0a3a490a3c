// Every API, every version, request and response: encode a message whose fields all hold
// non-default values (or nulls where nullable), decode it, and compare; then re-encode the decoded
// message and expect identical bytes. Also: unknown tagged fields are skipped, truncation is caught.

import { Apis, AnyField, ApiSpec, Reader, Writer, codecFor, inRange, f } from '../../../protocol';
import { StructCompiler } from '../../../protocol/codec/compile';

type Mode = 'values' | 'nulls';

let counter = 0;

function present(field: AnyField, version: number, flexible: boolean): boolean {
  if (!inRange(field.versions, version)) return false;
  return field.tag === undefined || (flexible && inRange(field.taggedVersions, version));
}

function scalar(type: string, field: AnyField): unknown {
  counter++;
  switch (type) {
    case 'bool':
      return field.default !== true;
    case 'int8':
      return (counter % 100) + 1;
    case 'int16':
      return 300 + counter;
    case 'uint16':
      return 65000 - counter;
    case 'int32':
      return 100000 + counter;
    case 'int64':
      return 10_000_000_000n + BigInt(counter);
    case 'float64':
      return counter + 0.5;
    case 'string':
      return `${field.name}-${counter}-ü`;
    case 'uuid':
      return Buffer.from(Array.from({ length: 16 }, (_, i) => (i * 31 + counter) & 0xff)).toString('base64url');
    default:
      return Buffer.from(`bytes-${counter}`);
  }
}

function sample(fields: readonly AnyField[], version: number, flexible: boolean, mode: Mode): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const field of fields) {
    if (!present(field, version, flexible)) continue;
    if (mode === 'nulls' && inRange(field.nullable, version)) {
      o[field.name] = null;
      continue;
    }
    const one = () =>
      typeof field.type === 'string' ? scalar(field.type, field) : sample(field.type, version, flexible, mode);
    o[field.name] = field.array ? [one(), one()] : one();
  }
  return o;
}

/** Keeps only the fields a version carries, so absent ones (decoded as defaults) are not compared. */
function project(value: unknown, fields: readonly AnyField[], version: number, flexible: boolean): unknown {
  if (value === null) return null;
  const o = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (!present(field, version, flexible)) continue;
    const v = o[field.name];
    if (typeof field.type === 'string' || v === null) out[field.name] = v;
    else if (field.array) out[field.name] = (v as unknown[]).map((e) => project(e, field.type as AnyField[], version, flexible));
    else out[field.name] = project(v, field.type, version, flexible);
  }
  return out;
}

function versionsOf(spec: ApiSpec): number[] {
  const out: number[] = [];
  for (let v = spec.validVersions.min; v <= spec.validVersions.max; v++) out.push(v);
  return out;
}

const cases: [string, ApiSpec, number, 'request' | 'response', Mode][] = [];
for (const spec of Object.values(Apis) as ApiSpec[]) {
  for (const v of versionsOf(spec)) {
    for (const side of ['request', 'response'] as const) {
      for (const mode of ['values', 'nulls'] as const) cases.push([`${spec.name} v${v} ${side} (${mode})`, spec, v, side, mode]);
    }
  }
}

test('all ZooKeeper-mode broker APIs are described', () => {
  expect(Object.keys(Apis).length).toBe(62);
  expect(Apis.Produce.validVersions).toEqual({ min: 0, max: 11 });
  expect(Apis.Fetch.validVersions).toEqual({ min: 0, max: 17 });
  expect(Apis.Metadata.validVersions).toEqual({ min: 0, max: 12 });
});

test.each(cases)('%s round trip', (_name, spec, version, side, mode) => {
  const codec = codecFor(spec, version);
  const fields = spec[side];
  const input = sample(fields, version, codec.flexible, mode);
  const w = new Writer();
  codec[side].encode(w, input);
  const bytes = w.toBuffer();

  const r = new Reader(bytes);
  const decoded = codec[side].decode(r);
  expect(r.pos).toBe(bytes.length);
  expect(project(decoded, fields, version, codec.flexible)).toEqual(project(input, fields, version, codec.flexible));

  const again = new Writer();
  codec[side].encode(again, decoded);
  expect(again.toBuffer().equals(bytes)).toBe(true);

  // Any cut short of the end is rejected, never read past.
  if (bytes.length > 0) {
    expect(() => codec[side].decode(new Reader(bytes.subarray(0, bytes.length - 1)))).toThrow(RangeError);
  }
});

test('unknown tagged fields are skipped', () => {
  const spec = Apis.ApiVersions;
  const withExtra = [...spec.request, f('futureField', 'string', '3+', { tag: 7 })];
  const w = new Writer();
  new StructCompiler(3, true).compile(withExtra).encode(w, { clientSoftwareName: 'x', clientSoftwareVersion: '1', futureField: 'later' });
  const decoded = codecFor(spec, 3).request.decode(new Reader(w.toBuffer()));
  expect(decoded).toEqual({ clientSoftwareName: 'x', clientSoftwareVersion: '1' });
});

test('tagged fields are written in ascending tag order, only when not default', () => {
  const w = new Writer();
  codecFor(Apis.ApiVersions, 3).response.encode(w, { zkMigrationReady: true, finalizedFeaturesEpoch: 5n });
  const bytes = w.toBuffer();
  // errorCode, empty apiKeys (compact 1), throttle, then 2 tags: 1 (int64) and 3 (bool).
  expect(bytes.toString('hex')).toBe('0000' + '01' + '00000000' + '02' + '0108' + '0000000000000005' + '0301' + '01');
  expect(codecFor(Apis.ApiVersions, 3).response.decode(new Reader(bytes)).finalizedFeaturesEpoch).toBe(5n);
});

test('null and empty arrays differ (Metadata topics)', () => {
  for (const topics of [null, []]) {
    const w = new Writer();
    codecFor(Apis.Metadata, 9).request.encode(w, { topics });
    expect(codecFor(Apis.Metadata, 9).request.decode(new Reader(w.toBuffer())).topics).toEqual(topics);
  }
});

test('an array count larger than the remaining bytes is refused before allocating', () => {
  // Metadata v1 request: topics array claiming 2^31-1 elements, no bytes behind it.
  const bytes = Buffer.from('7fffffff', 'hex');
  expect(() => codecFor(Apis.Metadata, 1).request.decode(new Reader(bytes))).toThrow(/cannot fit/);
});

test('records fields are slices of the frame, not copies', () => {
  const w = new Writer();
  const records = Buffer.alloc(4096, 7);
  codecFor(Apis.Produce, 9).request.encode(w, { acks: 1, timeoutMs: 100, topicData: [{ name: 't', partitionData: [{ index: 0, records }] }] });
  const frame = w.toBuffer();
  const decoded = codecFor(Apis.Produce, 9).request.decode(new Reader(frame));
  const got: Buffer = decoded.topicData[0].partitionData[0].records!;
  expect(got.equals(records)).toBe(true);
  expect(got.buffer).toBe(frame.buffer);
});
