// Writes group metadata and committed offsets to __consumer_offsets and reads a partition of it back
// into memory, the way Kafka's GroupMetadataManager does when it becomes a partition's coordinator.
// Transactional offset commits (TxnOffsetCommit) are written as transactional batches of the
// producer; on loading they count only once a COMMIT marker of that producer follows them, and those
// of a transaction still open at the end of the log come back as pending.
import { ErrorCode } from '../../protocol/errors';
import { decodeLegacy } from '../../protocol/records/legacy';
import { RecordInput, buildBatch, decodeBatch, forEachBatch, isControl, isTransactional } from '../../protocol/records/batch';
import type { PartitionWriter } from '../coordinator/internal-topic-coordinator';
import { partitionForKey } from '../coordinator/key-partition';
import type { PartitionLog } from '../log/partition-log';
import { decodeOffsetsTopicRecord, groupMetadataRecord, offsetCommitRecord } from './offsets-topic';
import { CommittedOffset, GroupSnapshot, StoredOffset, TopicPartitionOffset } from './types';

/** Bytes read per step while loading (Kafka's offsets.load.buffer.size default is 5 MiB; smaller steps bound memory). */
const LOAD_CHUNK_BYTES = 1024 * 1024;
/** Control record types (ControlRecordType): the key of a marker is [version int16][type int16]. */
const CONTROL_COMMIT = 1;

export interface GroupMetadataLogOptions {
  numPartitions: number;
  /** Appends to the partitions of __consumer_offsets as their leader. */
  writer: PartitionWriter;
  now: () => number;
}

/** A producer's id and epoch: a transactional offset commit is written as a transactional batch of theirs. */
export interface TxnProducer {
  producerId: bigint;
  producerEpoch: number;
}

/**
 * What one partition of __consumer_offsets holds: live groups, committed offsets by group then
 * topic-partition, offsets of transactions still open by producer id then group then topic-partition,
 * and the offset loading stopped at.
 */
export interface LoadedOffsetsPartition {
  groups: Map<string, GroupSnapshot>;
  offsets: Map<string, Map<string, StoredOffset>>;
  pending: Map<bigint, Map<string, Map<string, StoredOffset>>>;
  endOffset: number;
}

/** Map key of a topic-partition, unambiguous because the partition number is the last dash-separated part. */
export function topicPartitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

export class GroupMetadataLog {
  constructor(private readonly opts: GroupMetadataLogOptions) {}

  partitionFor(groupId: string): number {
    return partitionForKey(groupId, this.opts.numPartitions);
  }

  /**
   * Stores a group's metadata and waits for the ISR, as Kafka's storeGroup; resolves NONE or the
   * append's error code, unmapped.
   */
  storeGroup(snapshot: GroupSnapshot): Promise<number> {
    return this.opts.writer.appendReplicated(this.partitionFor(snapshot.groupId), this.batch([groupMetadataRecord(snapshot.groupId, snapshot)]));
  }

  /**
   * Stores the commits as one batch, so they land together or not at all, and waits for the ISR;
   * resolves NONE or the append's error code, unmapped. With a producer, the batch is one of its
   * transaction (Kafka writes base sequence 0: coordinator appends get no sequence checks).
   */
  storeOffsets(groupId: string, offsets: TopicPartitionOffset[], txn?: TxnProducer): Promise<number> {
    if (offsets.length === 0) return Promise.resolve(ErrorCode.NONE);
    const records = offsets.map((o) => offsetCommitRecord(groupId, o.topic, o.partition, o.committed));
    return this.opts.writer.appendReplicated(this.partitionFor(groupId), this.batch(records, txn));
  }

  /** Tombstones are appended without waiting for the ISR, as Kafka's cleanup does. */
  appendGroupTombstone(groupId: string): void {
    this.opts.writer.append(this.partitionFor(groupId), this.batch([groupMetadataRecord(groupId, null)]));
  }

  appendOffsetTombstones(groupId: string, tps: { topic: string; partition: number }[]): void {
    if (tps.length === 0) return;
    const records = tps.map((tp) => offsetCommitRecord(groupId, tp.topic, tp.partition, null));
    this.opts.writer.append(this.partitionFor(groupId), this.batch(records));
  }

  /** One uncompressed v2 batch with CreateTime = now, like Kafka's own writes; transactional with a producer. */
  private batch(records: RecordInput[], txn?: TxnProducer): Buffer {
    const now = this.opts.now();
    const producer = txn ? { producerId: txn.producerId, producerEpoch: txn.producerEpoch, baseSequence: 0, transactional: true } : { producerId: -1n };
    return buildBatch(
      records.map((r) => ({ ...r, timestamp: now })),
      { baseTimestamp: now, timestampType: 0, ...producer },
    );
  }

  /**
   * Replays a partition from its log start: later records win, tombstones remove, aborted
   * transactions are dropped, open ones come back pending.
   */
  async loadPartition(log: PartitionLog): Promise<LoadedOffsetsPartition> {
    const replay = new PartitionReplay();
    let offset = log.logStartOffset;
    while (offset < log.logEndOffset) {
      const { records } = await log.read(offset, LOAD_CHUNK_BYTES, { minOneBatch: true });
      if (records.length === 0) break;
      const next = replay.addRecords(records);
      if (next <= offset) throw new Error(`loading ${log.topic}-${log.partition} made no progress at offset ${offset}`);
      offset = next;
    }
    return replay.result(offset);
  }
}

interface ReplayedCommit {
  groupId: string;
  topic: string;
  partition: number;
  committed: CommittedOffset;
  /** Offset of the first record of the batch that wrote it: orders transactional commits against plain ones. */
  batchOffset: number;
}

/** The state of one partition of __consumer_offsets as its records are applied in log order. */
class PartitionReplay {
  private readonly groups = new Map<string, GroupSnapshot>();
  private readonly commits = new Map<string, ReplayedCommit>();
  /** Offsets written inside a still-open transaction, by producer id. */
  private readonly pending = new Map<bigint, Map<string, ReplayedCommit>>();

  /** Applies every batch of a read; returns the offset after the last one. */
  addRecords(buf: Buffer): number {
    let next = 0;
    forEachBatch(buf, (pos, size, magic) => {
      next = magic === 2 ? this.addBatch(buf.subarray(pos, pos + size)) : this.addLegacyEntry(buf.subarray(pos, pos + size));
    });
    return next;
  }

  private addBatch(buf: Buffer): number {
    const { header, records } = decodeBatch(buf);
    if (isControl(header.attributes)) {
      const key = records[0]?.key;
      if (key && key.length >= 4 && key.readInt16BE(2) === CONTROL_COMMIT) this.commitTransaction(header.producerId);
      this.pending.delete(header.producerId);
    } else {
      const into = isTransactional(header.attributes) ? this.pendingOf(header.producerId) : this.commits;
      const batchOffset = records[0]?.offset ?? header.baseOffset;
      for (const r of records) this.apply(r.key, r.value, batchOffset, into);
    }
    return header.baseOffset + header.lastOffsetDelta + 1;
  }

  /** Pre-0.11 message sets (magic 0/1) can only be plain, non-transactional writes. */
  private addLegacyEntry(buf: Buffer): number {
    const messages = decodeLegacy(buf);
    for (const m of messages) this.apply(m.key, m.value, messages[0].offset, this.commits);
    return messages.length > 0 ? messages[messages.length - 1].offset + 1 : 0;
  }

  private apply(key: Buffer | null, value: Buffer | null, batchOffset: number, commits: Map<string, ReplayedCommit>): void {
    if (key === null) throw new Error('a record of __consumer_offsets has no key');
    const record = decodeOffsetsTopicRecord(key, value);
    if (record === null) return;
    if (record.type === 'group') {
      if (record.snapshot) this.groups.set(record.groupId, record.snapshot);
      else this.groups.delete(record.groupId);
      return;
    }
    const id = JSON.stringify([record.groupId, record.topic, record.partition]);
    if (record.committed === null) commits.delete(id);
    else commits.set(id, { ...record, committed: record.committed, batchOffset });
  }

  private pendingOf(producerId: bigint): Map<string, ReplayedCommit> {
    let commits = this.pending.get(producerId);
    if (!commits) this.pending.set(producerId, (commits = new Map()));
    return commits;
  }

  /** A committed transaction's offsets apply unless a plain commit written after them already replaced them. */
  private commitTransaction(producerId: bigint): void {
    for (const [id, commit] of this.pending.get(producerId) ?? []) {
      const current = this.commits.get(id);
      if (!current || current.batchOffset < commit.batchOffset) this.commits.set(id, commit);
    }
  }

  result(endOffset: number): LoadedOffsetsPartition {
    const pending = new Map<bigint, Map<string, Map<string, StoredOffset>>>();
    for (const [producerId, commits] of this.pending) {
      if (commits.size > 0) pending.set(producerId, byGroup(commits.values()));
    }
    return { groups: this.groups, offsets: byGroup(this.commits.values()), pending, endOffset };
  }
}

function byGroup(commits: Iterable<ReplayedCommit>): Map<string, Map<string, StoredOffset>> {
  const offsets = new Map<string, Map<string, StoredOffset>>();
  for (const c of commits) {
    let group = offsets.get(c.groupId);
    if (!group) offsets.set(c.groupId, (group = new Map()));
    group.set(topicPartitionKey(c.topic, c.partition), { topic: c.topic, partition: c.partition, committed: c.committed, order: c.batchOffset });
  }
  return offsets;
}
