// The "consumer" protocol type's payloads, which group members exchange through JoinGroup (a
// member's ConsumerProtocolSubscription) and SyncGroup (its ConsumerProtocolAssignment), each an
// int16 version and the struct of that version. Kafka reads a version newer than it knows with
// the newest layout it knows (every version extends the one before) and refuses a negative one.

import { dataCodecFor } from '../codec/api-codec';
import { Reader } from '../codec/reader';
import { Writer } from '../codec/writer';
import { DataSpec, Message, MessageInput, arr, data, f } from '../spec';

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

export type Subscription = Message<(typeof ConsumerProtocolSubscription)['fields']>;
export type Assignment = Message<(typeof ConsumerProtocolAssignment)['fields']>;

/** The version a payload was written at and its struct, read at that version (or the newest known). Throws on malformed bytes. */
export function decodeConsumerProtocol<S extends DataSpec>(spec: S, bytes: Buffer): { version: number; value: Message<S['fields']> } {
  const r = new Reader(bytes);
  const version = r.int16();
  if (version < 0) throw new Error(`Unsupported ${spec.name} version: ${version}`);
  const value = dataCodecFor(spec, Math.min(version, spec.validVersions.max)).decode(r) as Message<S['fields']>;
  return { version, value };
}

export function encodeConsumerProtocol<S extends DataSpec>(spec: S, version: number, value: MessageInput<S['fields']>): Buffer {
  const w = new Writer(64);
  w.int16(version);
  dataCodecFor(spec, version).encode(w, value);
  return w.toBuffer();
}
