// Reads a topic's partitions as the message browser needs them, over the Kafka protocol only:
// leaders from Metadata, offset bounds and offsets for a time from ListOffsets at each leader,
// and one partition's records from a given offset with a single Fetch at its leader (maxWait 0,
// a byte cap), decoded with the consumer's own fetched-records.ts (control batches never come
// out; under read_committed aborted transactions are dropped).

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { ClusterClient } from '../client/cluster-client';
import { ConsumerRecord, decodeFetchedRecords } from '../client/fetched-records';
import { notFound } from './api-error';
import { compressionLookup } from './record-view';

const FETCH_MAX_VERSION = 12;
export const LATEST = -1n;
export const EARLIEST = -2n;

export interface PartitionBounds {
  partition: number;
  leader: number;
  /** The log start offset. */
  start: number;
  /** The high watermark, or the last stable offset under read_committed. */
  end: number;
}

export interface FetchedChunk {
  records: { record: ConsumerRecord; compression: string }[];
  /** Where the next read of this partition starts. */
  nextOffset: number;
  bytes: number;
}

export class PartitionReader {
  constructor(
    private readonly client: ClusterClient,
    readonly topic: string,
    readonly readCommitted: boolean,
  ) {}

  /** The topic's partitions (all, or those asked for) with their leaders; an unknown topic is a 404. */
  async leaders(wanted: readonly number[] | null): Promise<Map<number, number>> {
    const md = await this.client.metadata([this.topic]);
    const t = md.topics.find((x) => x.name === this.topic);
    if (!t || t.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) throw notFound(`Topic ${this.topic} does not exist`);
    if (t.errorCode !== ErrorCode.NONE) throw new KafkaError(t.errorCode);
    const leaders = new Map<number, number>();
    for (const p of [...t.partitions].sort((a, b) => a.partitionIndex - b.partitionIndex)) leaders.set(p.partitionIndex, p.leaderId);
    if (wanted !== null) {
      const missing = wanted.find((p) => !leaders.has(p));
      if (missing !== undefined) throw notFound(`Topic ${this.topic} has no partition ${missing}`);
      for (const p of [...leaders.keys()]) if (!wanted.includes(p)) leaders.delete(p);
    }
    return leaders;
  }

  /** The offset for a ListOffsets timestamp (LATEST, EARLIEST or a time) per partition; -1 when none. */
  async offsetsFor(leaders: ReadonlyMap<number, number>, timestamp: bigint): Promise<Map<number, number>> {
    const byLeader = new Map<number, number[]>();
    for (const [p, leader] of leaders) byLeader.set(leader, [...(byLeader.get(leader) ?? []), p]);
    const out = new Map<number, number>();
    for (const [leader, partitions] of byLeader) {
      if (leader < 0) throw new KafkaError(ErrorCode.LEADER_NOT_AVAILABLE, `Partitions ${partitions.join(', ')} of ${this.topic} have no leader`);
      const res = await this.client.request(
        Apis.ListOffsets,
        {
          replicaId: -1,
          isolationLevel: this.readCommitted ? 1 : 0,
          topics: [{ name: this.topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp, currentLeaderEpoch: -1 })) }],
        },
        { to: leader, minVersion: 2 },
      );
      for (const t of res.topics) {
        for (const p of t.partitions) {
          if (p.errorCode !== ErrorCode.NONE) throw new KafkaError(p.errorCode);
          out.set(p.partitionIndex, Number(p.offset));
        }
      }
    }
    return out;
  }

  async bounds(leaders: ReadonlyMap<number, number>): Promise<PartitionBounds[]> {
    const starts = await this.offsetsFor(leaders, EARLIEST);
    const ends = await this.offsetsFor(leaders, LATEST);
    return [...leaders].map(([partition, leader]) => ({ partition, leader, start: starts.get(partition) ?? 0, end: ends.get(partition) ?? 0 }));
  }

  /** One Fetch of a partition from an offset, at most maxBytes (the broker still returns a first batch larger than that). */
  async fetch(b: PartitionBounds, offset: number, maxBytes: number): Promise<FetchedChunk> {
    const res = await this.client.request(
      Apis.Fetch,
      {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 0,
        maxBytes,
        isolationLevel: this.readCommitted ? 1 : 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [{ topic: this.topic, partitions: [{ partition: b.partition, fetchOffset: BigInt(offset), partitionMaxBytes: maxBytes, currentLeaderEpoch: -1, logStartOffset: -1n }] }],
        forgottenTopicsData: [],
        rackId: '',
      },
      { to: b.leader, maxVersion: FETCH_MAX_VERSION, minVersion: 4 },
    );
    if (res.errorCode !== ErrorCode.NONE) throw new KafkaError(res.errorCode);
    const p = res.responses[0]?.partitions[0];
    if (!p) return { records: [], nextOffset: offset, bytes: 0 };
    if (p.errorCode !== ErrorCode.NONE) throw new KafkaError(p.errorCode, `Fetching ${this.topic}-${b.partition} at offset ${offset} failed`);
    const data = p.records ?? Buffer.alloc(0);
    const aborted = (p.abortedTransactions ?? []).map((a) => ({ producerId: a.producerId, firstOffset: Number(a.firstOffset) }));
    const decoded = decodeFetchedRecords({ topic: this.topic, partition: b.partition }, data, offset, this.readCommitted, aborted);
    const codec = compressionLookup(data);
    return { records: decoded.records.map((record) => ({ record, compression: codec(record.offset) })), nextOffset: decoded.nextFetchOffset, bytes: data.length };
  }
}
