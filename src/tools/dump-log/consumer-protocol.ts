// The consumer protocol's subscription and assignment (ConsumerProtocolSubscription v0-3,
// ConsumerProtocolAssignment v0-3), which DumpLogSegments decodes inside the members of a consumer
// group's GroupMetadataValue: [int16 version][struct of that version].
import { dataCodecFor } from '../../../protocol/codec/api-codec';
import { Reader } from '../../../protocol/codec/reader';
import { DataSpec, arr, data, f, inRange } from '../../../protocol/spec';
import { structJson } from './kafka-json';

export const ConsumerProtocolSubscription = data('ConsumerProtocolSubscription', '0-3', 'none', [
  arr('topics', 'string'),
  f('userData', 'bytes', '0+', { nullable: '0+', default: null }),
  arr('ownedPartitions', [f('topic', 'string', '1+'), arr('partitions', 'int32', '1+')], '1+'),
  f('generationId', 'int32', '2+', { default: -1 }),
  f('rackId', 'string', '3+', { nullable: '3+', default: null }),
]);

export const ConsumerProtocolAssignment = data('ConsumerProtocolAssignment', '0-3', 'none', [
  arr('assignedPartitions', [f('topic', 'string'), arr('partitions', 'int32')]),
  f('userData', 'bytes', '0+', { nullable: '0+', default: null }),
]);

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
