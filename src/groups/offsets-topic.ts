// The records of __consumer_offsets in Kafka's own format, so Kafka's tools and lag monitors read
// what we write: the key/value bytes of its records.
import { DataSpec, Message, MessageInput } from '../../protocol/spec';
import { dataCodecFor } from '../../protocol/codec/api-codec';
import { Reader } from '../../protocol/codec/reader';
import { Writer } from '../../protocol/codec/writer';
import {
  GROUP_METADATA_KEY_VERSION,
  GroupMetadataKey,
  GroupMetadataValue,
  LEGACY_OFFSET_COMMIT_KEY_VERSION,
  OFFSET_COMMIT_KEY_VERSION,
  OffsetCommitKey,
  OffsetCommitValue,
} from '../../protocol/internal/consumer-offsets';
import { CommittedOffset, GroupSnapshot, MemberSnapshot } from './types';

export const OFFSETS_TOPIC = '__consumer_offsets';

/** Kafka 3.9 (GroupMetadataManager) writes these value versions; v1 only for commits with an explicit expiry. */
export const OFFSET_COMMIT_VALUE_VERSION = 3;
export const OFFSET_COMMIT_VALUE_VERSION_WITH_EXPIRY = 1;
export const GROUP_METADATA_VALUE_VERSION = 3;

/** "No expire timestamp" and "no leader epoch", as Kafka spells them. */
const NONE = -1;

function encodeVersioned<S extends DataSpec>(spec: S, version: number, body: MessageInput<S['fields']>): Buffer {
  const w = new Writer(64);
  w.int16(version);
  dataCodecFor(spec, version).encode(w, body);
  return w.toBuffer();
}

function decodeStruct<S extends DataSpec>(spec: S, version: number, r: Reader): Message<S['fields']> {
  return dataCodecFor(spec, version).decode(r);
}

export function offsetCommitKey(groupId: string, topic: string, partition: number): Buffer {
  return encodeVersioned(OffsetCommitKey, OFFSET_COMMIT_KEY_VERSION, { group: groupId, topic, partition });
}

export function groupMetadataKey(groupId: string): Buffer {
  return encodeVersioned(GroupMetadataKey, GROUP_METADATA_KEY_VERSION, { group: groupId });
}

export function offsetCommitValue(committed: CommittedOffset): Buffer {
  const version = committed.expireTimestamp !== NONE ? OFFSET_COMMIT_VALUE_VERSION_WITH_EXPIRY : OFFSET_COMMIT_VALUE_VERSION;
  return encodeVersioned(OffsetCommitValue, version, {
    offset: BigInt(committed.offset),
    leaderEpoch: committed.leaderEpoch,
    metadata: committed.metadata,
    commitTimestamp: BigInt(committed.commitTimestamp),
    expireTimestamp: BigInt(committed.expireTimestamp),
  });
}

export function groupMetadataValue(snapshot: GroupSnapshot): Buffer {
  if (snapshot.members.length > 0 && snapshot.protocolName === null) {
    throw new Error(`group ${snapshot.groupId} has members but no protocol`);
  }
  return encodeVersioned(GroupMetadataValue, GROUP_METADATA_VALUE_VERSION, {
    protocolType: snapshot.protocolType,
    generation: snapshot.generationId,
    protocol: snapshot.protocolName,
    leader: snapshot.leaderId,
    currentStateTimestamp: BigInt(snapshot.currentStateTimestamp),
    members: snapshot.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      rebalanceTimeout: m.rebalanceTimeoutMs,
      sessionTimeout: m.sessionTimeoutMs,
      subscription: m.subscription,
      assignment: m.assignment,
    })),
  });
}

/** Key and value of an offset commit; a null commit gives the tombstone that deletes it. */
export function offsetCommitRecord(
  groupId: string,
  topic: string,
  partition: number,
  committed: CommittedOffset | null,
): { key: Buffer; value: Buffer | null } {
  return { key: offsetCommitKey(groupId, topic, partition), value: committed && offsetCommitValue(committed) };
}

/** Key and value of a group's metadata; a null snapshot gives the tombstone that deletes the group. */
export function groupMetadataRecord(groupId: string, snapshot: GroupSnapshot | null): { key: Buffer; value: Buffer | null } {
  return { key: groupMetadataKey(groupId), value: snapshot && groupMetadataValue(snapshot) };
}

export type OffsetsTopicRecord =
  | { type: 'offset'; groupId: string; topic: string; partition: number; committed: CommittedOffset | null }
  | { type: 'group'; groupId: string; snapshot: GroupSnapshot | null };

function valueVersion(spec: DataSpec, r: Reader): number {
  const version = r.int16();
  if (version < spec.validVersions.min || version > spec.validVersions.max) {
    throw new Error(`unknown ${spec.name} version ${version}`);
  }
  return version;
}

function decodeCommittedOffset(value: Buffer): CommittedOffset {
  const r = new Reader(value);
  const v = decodeStruct(OffsetCommitValue, valueVersion(OffsetCommitValue, r), r);
  return {
    offset: Number(v.offset),
    leaderEpoch: v.leaderEpoch,
    metadata: v.metadata,
    commitTimestamp: Number(v.commitTimestamp),
    expireTimestamp: Number(v.expireTimestamp),
  };
}

function decodeGroupSnapshot(groupId: string, value: Buffer): GroupSnapshot {
  const r = new Reader(value);
  const version = valueVersion(GroupMetadataValue, r);
  const v = decodeStruct(GroupMetadataValue, version, r);
  const members = v.members.map(
    (m): MemberSnapshot => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      // v0 had no rebalance timeout: Kafka reads it as the session timeout.
      rebalanceTimeoutMs: version === 0 ? m.sessionTimeout : m.rebalanceTimeout,
      sessionTimeoutMs: m.sessionTimeout,
      // Copies: decoded bytes are views into the (large) read buffer, which must not stay alive.
      subscription: Buffer.from(m.subscription),
      assignment: Buffer.from(m.assignment),
    }),
  );
  return {
    groupId,
    protocolType: v.protocolType,
    generationId: v.generation,
    protocolName: v.protocol,
    leaderId: v.leader,
    currentStateTimestamp: Number(v.currentStateTimestamp),
    members,
  };
}

/**
 * Decodes one record of __consumer_offsets. Keys of other record types (the new coordinator's, key
 * version 3 and up) give null, as Kafka's own reader ignores them; truncated or unknown values throw.
 */
export function decodeOffsetsTopicRecord(key: Buffer, value: Buffer | null): OffsetsTopicRecord | null {
  const r = new Reader(key);
  const keyVersion = r.int16();
  switch (keyVersion) {
    case LEGACY_OFFSET_COMMIT_KEY_VERSION:
    case OFFSET_COMMIT_KEY_VERSION: {
      const k = decodeStruct(OffsetCommitKey, keyVersion, r);
      const committed = value === null ? null : decodeCommittedOffset(value);
      return { type: 'offset', groupId: k.group, topic: k.topic, partition: k.partition, committed };
    }
    case GROUP_METADATA_KEY_VERSION: {
      const k = decodeStruct(GroupMetadataKey, keyVersion, r);
      return { type: 'group', groupId: k.group, snapshot: value === null ? null : decodeGroupSnapshot(k.group, value) };
    }
    default:
      return null;
  }
}
