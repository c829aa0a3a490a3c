// DumpLogSegments --offsets-decoder: the records of __consumer_offsets as Kafka 3.9 prints them, the key as
// {"type":"<key version>","data":{...}} and the value as {"version":"<value version>","data":{...}}, a
// tombstone as <DELETE>; a record that cannot be read is reported in its key, as Kafka does.
import { dataCodecFor } from '../../../protocol/codec/api-codec';
import { Reader } from '../../../protocol/codec/reader';
import { GroupMetadataKey, GroupMetadataValue, OffsetCommitKey, OffsetCommitValue } from '../../../protocol/internal/consumer-offsets';
import { AnyField, DataSpec, inRange } from '../../../protocol/spec';
import { ConsumerProtocolAssignment, ConsumerProtocolSubscription } from '../../../protocol/internal/consumer-protocol';
import { consumerProtocolJson } from './consumer-protocol';
import { DumpRecord } from './file-batches';
import { structJson } from './kafka-json';

const CONSUMER_PROTOCOL_TYPE = 'consumer';

function decodeVersioned(spec: DataSpec, bytes: Buffer): { version: number; json: string } {
  const r = new Reader(bytes);
  const version = r.int16();
  if (!inRange(spec.validVersions, version)) throw new Error(`Unknown version ${version} of ${spec.name}`);
  const message = dataCodecFor(spec, version).decode(r) as Record<string, unknown>;
  return { version, json: spec === GroupMetadataValue ? groupMetadataJson(message, version) : structJson(spec.fields, message, version) };
}

/** A consumer group's members show their subscription and assignment decoded, as Kafka's prepareGroupMetadataValue does. */
function groupMetadataJson(message: Record<string, unknown>, version: number): string {
  if (message.protocolType !== CONSUMER_PROTOCOL_TYPE) return structJson(GroupMetadataValue.fields, message, version);
  const membersField = GroupMetadataValue.fields.find((f) => f.name === 'members')!;
  const memberFields = membersField.type as readonly AnyField[];
  const members = (message.members as Record<string, unknown>[]).map((m) => {
    const replace: Record<string, string> = {};
    const subscription = consumerProtocolJson(ConsumerProtocolSubscription, m.subscription as Buffer);
    const assignment = consumerProtocolJson(ConsumerProtocolAssignment, m.assignment as Buffer);
    if (subscription !== null) replace.subscription = subscription;
    if (assignment !== null) replace.assignment = assignment;
    return structJson(memberFields, m, version, replace);
  });
  return structJson(GroupMetadataValue.fields, message, version, { members: `[${members.join(',')}]` });
}

export function formatOffsetsRecord(record: DumpRecord): { key?: string; payload?: string } {
  if (record.key === null) {
    throw new Error(`Failed to decode message at offset ${record.offset} using offset topic decoder (message had a missing key)`);
  }
  const keyVersion = record.key.readInt16BE(0);
  const specs: [DataSpec, DataSpec] | undefined =
    keyVersion === 0 || keyVersion === 1 ? [OffsetCommitKey, OffsetCommitValue] : keyVersion === 2 ? [GroupMetadataKey, GroupMetadataValue] : undefined;
  if (specs === undefined) return { key: `Unknown record type ${keyVersion} at offset ${record.offset}, skipping.` };
  try {
    const key = decodeVersioned(specs[0], record.key);
    const keyJson = `{"type":"${key.version}","data":${key.json}}`;
    if (record.value === null) return { key: keyJson, payload: '<DELETE>' };
    const value = decodeVersioned(specs[1], record.value);
    return { key: keyJson, payload: `{"version":"${value.version}","data":${value.json}}` };
  } catch (err) {
    return { key: `Error at offset ${record.offset}, skipping. ${(err as Error).message}` };
  }
}
