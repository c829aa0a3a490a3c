// The consumer protocol's subscription and assignment as DumpLogSegments prints them inside the
// members of a consumer group's GroupMetadataValue: the JSON of the struct at its version.
import { dataCodecFor } from '../../../protocol/codec/api-codec';
import { Reader } from '../../../protocol/codec/reader';
import { DataSpec, inRange } from '../../../protocol/spec';
import { structJson } from './kafka-json';

/** The JSON of a versioned consumer protocol struct, or null when the bytes do not hold one (Kafka then keeps the bytes). */
export function consumerProtocolJson(spec: DataSpec, bytes: Buffer): string | null {
  try {
    const r = new Reader(bytes);
    const version = r.int16();
    if (!inRange(spec.validVersions, version)) return null;
    return structJson(spec.fields, dataCodecFor(spec, version).decode(r) as Record<string, unknown>, version);
  } catch {
    return null;
  }
}
