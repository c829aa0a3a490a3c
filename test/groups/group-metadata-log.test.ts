import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildBatch, decodeBatch, forEachBatch, isControl, isTransactional, timestampTypeOf, toLegacy } from '../../protocol/records';
import { ErrorCode } from '../../protocol/errors';
import { GroupMetadataLog, topicPartitionKey } from '../../src/groups/group-metadata-log';
import { partitionForKey } from '../../src/coordinator/key-partition';
import { OFFSETS_TOPIC, groupMetadataRecord, offsetCommitRecord } from '../../src/groups/offsets-topic';
import { CommittedOffset, GroupSnapshot, StoredOffset, TopicPartitionOffset } from '../../src/groups/types';
import { DEFAULT_LOG_CONFIG } from '../../src/log/log-config';
import { PartitionLog } from '../../src/log/partition-log';
import { localWriter } from './local-writer';

const T0 = 1_700_000_000_000;
const PARTITIONS = 3;
/** Room for a group snapshot bigger than one load step. */
const CONFIG = { ...DEFAULT_LOG_CONFIG, maxMessageBytes: 4 << 20 };

let dir: string;
let logs: Map<number, PartitionLog>;
let clock: number;
let gml: GroupMetadataLog;

function partitionLog(p: number): PartitionLog {
  let log = logs.get(p);
  if (!log) {
    log = PartitionLog.create({ logDir: dir, topic: OFFSETS_TOPIC, partition: p, config: CONFIG, now: clock });
    logs.set(p, log);
  }
  return log;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-ts-offsets-'));
  logs = new Map();
  clock = T0;
  gml = new GroupMetadataLog({ numPartitions: PARTITIONS, writer: localWriter(partitionLog, () => clock), now: () => clock });
});

afterEach(() => {
  for (const log of logs.values()) log.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function commit(offset: number, commitTimestamp = T0, metadata = ''): CommittedOffset {
  return { offset, leaderEpoch: 0, metadata, commitTimestamp, expireTimestamp: -1 };
}

function tpo(topic: string, partition: number, committed: CommittedOffset): TopicPartitionOffset {
  return { topic, partition, committed };
}

/** Loaded offsets without the log order they carry. */
function plain(offsets: Map<string, StoredOffset> | undefined): Map<string, TopicPartitionOffset> | undefined {
  return offsets && new Map([...offsets].map(([k, { order: _order, ...o }]) => [k, o]));
}

function valuesOf(offsets: Map<string, StoredOffset> | undefined): TopicPartitionOffset[] {
  return [...plain(offsets)!.values()];
}

function snapshot(groupId: string, generationId: number, assignmentBytes = 1): GroupSnapshot {
  return {
    groupId,
    protocolType: 'consumer',
    generationId,
    protocolName: 'range',
    leaderId: 'm1',
    currentStateTimestamp: T0 + generationId,
    members: [
      {
        memberId: 'm1',
        groupInstanceId: null,
        clientId: 'client',
        clientHost: '/10.0.0.1',
        rebalanceTimeoutMs: 300000,
        sessionTimeoutMs: 45000,
        subscription: Buffer.from('subscription'),
        assignment: Buffer.alloc(assignmentBytes, generationId),
      },
    ],
  };
}

function logOf(groupId: string): PartitionLog {
  return partitionLog(partitionForKey(groupId, PARTITIONS));
}

/** Whole-log view of the batches of a partition. */
async function batchesOf(log: PartitionLog) {
  const { records } = await log.read(log.logStartOffset, 64 << 20, { minOneBatch: true });
  const out: ReturnType<typeof decodeBatch>[] = [];
  forEachBatch(records, (pos) => out.push(decodeBatch(records, pos)));
  return out;
}

/** Two group ids that live in the same partition. */
function samePartitionGroups(): [string, string] {
  const first = 'group-0';
  for (let i = 1; ; i++) {
    const other = `group-${i}`;
    if (partitionForKey(other, PARTITIONS) === partitionForKey(first, PARTITIONS)) return [first, other];
  }
}

describe('writing', () => {
  it('writes each call as one uncompressed CreateTime batch, producer -1, to the group partition', async () => {
    clock = T0 + 500;
    expect(await gml.storeOffsets('g', [tpo('a', 0, commit(5)), tpo('a', 1, commit(6)), tpo('b', 0, commit(7))])).toBe(ErrorCode.NONE);
    expect(logOf('g').logEndOffset).toBe(3);
    expect(await gml.storeGroup(snapshot('g', 1))).toBe(ErrorCode.NONE);
    gml.appendOffsetTombstones('g', [{ topic: 'a', partition: 1 }]);
    gml.appendGroupTombstone('g');

    const batches = await batchesOf(logOf('g'));
    expect(batches.map((b) => b.records.length)).toEqual([3, 1, 1, 1]);
    for (const { header, records } of batches) {
      expect(header.attributes).toBe(0);
      expect(timestampTypeOf(header.attributes)).toBe(0);
      expect(header.producerId).toBe(-1n);
      expect(header.baseTimestamp).toBe(T0 + 500);
      for (const r of records) expect(r.timestamp).toBe(T0 + 500);
    }
    expect(batches[0].records[1]).toMatchObject(offsetCommitRecord('g', 'a', 1, commit(6)));
    expect(batches[1].records[0]).toMatchObject(groupMetadataRecord('g', snapshot('g', 1)));
    expect(batches[2].records[0]).toMatchObject({ ...offsetCommitRecord('g', 'a', 1, null), value: null });
    expect(batches[3].records[0]).toMatchObject({ key: groupMetadataRecord('g', null).key, value: null });
    for (const [p, log] of logs) {
      if (p !== partitionForKey('g', PARTITIONS)) expect(log.logEndOffset).toBe(0);
    }
  });

  it('writes nothing for an empty list', async () => {
    expect(await gml.storeOffsets('g', [])).toBe(ErrorCode.NONE);
    gml.appendOffsetTombstones('g', []);
    expect(logs.size).toBe(0);
  });

  it('reports a failed append as its error code', async () => {
    logOf('g').close();
    expect(await gml.storeGroup(snapshot('g', 1))).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  });
});

describe('loading', () => {
  it('reads back what was written', async () => {
    const [g1, g2] = samePartitionGroups();
    void gml.storeGroup(snapshot(g1, 1));
    void gml.storeOffsets(g1, [tpo('a', 0, commit(10)), tpo('a', 1, commit(11, T0, 'meta'))]);
    void gml.storeOffsets(g2, [tpo('b', 2, commit(20))]);

    const loaded = await gml.loadPartition(logOf(g1));
    expect([...loaded.groups.entries()]).toEqual([[g1, snapshot(g1, 1)]]);
    expect(plain(loaded.offsets.get(g1))).toEqual(
      new Map([
        [topicPartitionKey('a', 0), tpo('a', 0, commit(10))],
        [topicPartitionKey('a', 1), tpo('a', 1, commit(11, T0, 'meta'))],
      ]),
    );
    expect(plain(loaded.offsets.get(g2))).toEqual(new Map([[topicPartitionKey('b', 2), tpo('b', 2, commit(20))]]));
  });

  it('lets later records win and tombstones remove', async () => {
    const [g1, g2] = samePartitionGroups();
    void gml.storeGroup(snapshot(g1, 1));
    void gml.storeOffsets(g1, [tpo('a', 0, commit(10)), tpo('a', 1, commit(11))]);
    void gml.storeGroup(snapshot(g1, 2));
    void gml.storeOffsets(g1, [tpo('a', 0, commit(15, T0 + 1))]);
    gml.appendOffsetTombstones(g1, [{ topic: 'a', partition: 1 }]);
    void gml.storeGroup(snapshot(g2, 1));
    void gml.storeOffsets(g2, [tpo('b', 0, commit(1))]);
    gml.appendGroupTombstone(g2);
    gml.appendOffsetTombstones(g2, [{ topic: 'b', partition: 0 }]);
    // A removed group used again later only for offsets.
    void gml.storeOffsets(g2, [tpo('b', 0, commit(3))]);

    const loaded = await gml.loadPartition(logOf(g1));
    expect([...loaded.groups.keys()]).toEqual([g1]);
    expect(loaded.groups.get(g1)?.generationId).toBe(2);
    expect(valuesOf(loaded.offsets.get(g1))).toEqual([tpo('a', 0, commit(15, T0 + 1))]);
    expect(valuesOf(loaded.offsets.get(g2))).toEqual([tpo('b', 0, commit(3))]);
  });

  it('loads an empty log', async () => {
    const loaded = await gml.loadPartition(partitionLog(0));
    expect(loaded.groups.size).toBe(0);
    expect(loaded.offsets.size).toBe(0);
  });

  it('reads large logs in bounded steps, including batches bigger than a step', async () => {
    // 12 snapshots of 300 KB each, then one of 1.5 MB: several 1 MiB reads, one oversized batch.
    for (let gen = 1; gen <= 12; gen++) {
      void gml.storeGroup(snapshot('big', gen, 300_000));
      void gml.storeOffsets('big', [tpo('t', gen, commit(gen))]);
    }
    void gml.storeGroup(snapshot('big', 13, 1_500_000));
    const log = logOf('big');
    const reads: number[] = [];
    const read = log.read.bind(log);
    log.read = (offset, maxBytes, opts) => {
      reads.push(maxBytes);
      return read(offset, maxBytes, opts);
    };

    const loaded = await gml.loadPartition(log);
    // Buffer.equals: jest's deep equality is slow on megabytes.
    const big = loaded.groups.get('big')!;
    expect(big.generationId).toBe(13);
    expect(big.members[0].assignment.equals(snapshot('big', 13, 1_500_000).members[0].assignment)).toBe(true);
    expect(loaded.offsets.get('big')?.size).toBe(12);
    expect(reads.length).toBeGreaterThan(3);
    expect(new Set(reads)).toEqual(new Set([1024 * 1024]));
  });

  it('ignores records of unknown key versions', async () => {
    const log = logOf('g');
    void gml.storeOffsets('g', [tpo('a', 0, commit(1))]);
    // Key version 3: a record type of the new group coordinator.
    const foreign = buildBatch([{ key: Buffer.from('00030001', 'hex'), value: Buffer.from('0000', 'hex') }], { baseTimestamp: T0 });
    log.append(foreign, { leaderEpoch: 0, timestampType: 0, now: T0 });
    const loaded = await gml.loadPartition(log);
    expect(valuesOf(loaded.offsets.get('g'))).toEqual([tpo('a', 0, commit(1))]);
  });

  it('fails on a record without a key', async () => {
    const log = logOf('g');
    log.append(buildBatch([{ key: null, value: Buffer.from('x') }], { baseTimestamp: T0 }), { leaderEpoch: 0, timestampType: 0, now: T0 });
    await expect(gml.loadPartition(log)).rejects.toThrow(/no key/);
  });
});

describe('transactional offset commits', () => {
  const PID = 7n;

  // Written as a follower would write the leader's batches: the log keeps offsets and producer state as given.
  function appendTxnOffsets(log: PartitionLog, groupId: string, offsets: TopicPartitionOffset[], producerId = PID): void {
    const records = offsets.map((o) => ({ ...offsetCommitRecord(groupId, o.topic, o.partition, o.committed), timestamp: T0 }));
    const batch = buildBatch(records, { baseOffset: log.logEndOffset, baseTimestamp: T0, producerId, producerEpoch: 0, baseSequence: 0, transactional: true });
    log.appendAsFollower(batch, T0);
  }

  function appendMarker(log: PartitionLog, commit: boolean, producerId = PID): void {
    const key = Buffer.from([0, 0, 0, commit ? 1 : 0]);
    const value = Buffer.from([0, 0, 0, 0, 0, 0]);
    const batch = buildBatch([{ key, value }], { baseOffset: log.logEndOffset, baseTimestamp: T0, producerId, producerEpoch: 0, transactional: true, control: true });
    log.appendAsFollower(batch, T0);
  }

  it('are written as a transactional batch of the producer, with base sequence 0', async () => {
    await gml.storeOffsets('g', [tpo('a', 0, commit(5))], { producerId: 42n, producerEpoch: 3 });
    const [batch] = await batchesOf(logOf('g'));
    expect(batch.header).toMatchObject({ producerId: 42n, producerEpoch: 3, baseSequence: 0 });
    expect(isTransactional(batch.header.attributes)).toBe(true);
    expect(isControl(batch.header.attributes)).toBe(false);
  });

  it('apply on loading once committed; aborted ones are dropped, open ones come back pending', async () => {
    const log = logOf('g');
    appendTxnOffsets(log, 'g', [tpo('a', 0, commit(100))]);
    appendMarker(log, true);
    appendTxnOffsets(log, 'g', [tpo('a', 0, commit(200))]);
    appendMarker(log, false);
    appendTxnOffsets(log, 'g', [tpo('a', 1, commit(300))]);

    const batches = await batchesOf(log);
    expect(batches.map((b) => [isTransactional(b.header.attributes), isControl(b.header.attributes)])).toEqual([
      [true, false],
      [true, true],
      [true, false],
      [true, true],
      [true, false],
    ]);
    const loaded = await gml.loadPartition(log);
    expect(valuesOf(loaded.offsets.get('g'))).toEqual([tpo('a', 0, commit(100))]);
    expect([...loaded.pending.keys()]).toEqual([PID]);
    expect(valuesOf(loaded.pending.get(PID)!.get('g'))).toEqual([tpo('a', 1, commit(300))]);
    expect(loaded.pending.get(PID)!.get('g')!.get(topicPartitionKey('a', 1))!.order).toBe(4);
    expect(loaded.endOffset).toBe(5);
  });

  it('keep a plain commit written after the transactional one, before its marker', async () => {
    const log = logOf('g');
    appendTxnOffsets(log, 'g', [tpo('a', 0, commit(100)), tpo('a', 1, commit(101))]);
    void gml.storeOffsets('g', [tpo('a', 0, commit(50))]);
    appendMarker(log, true);
    const loaded = await gml.loadPartition(log);
    expect(plain(loaded.offsets.get('g'))).toEqual(
      new Map([
        [topicPartitionKey('a', 0), tpo('a', 0, commit(50))],
        [topicPartitionKey('a', 1), tpo('a', 1, commit(101))],
      ]),
    );
    expect(loaded.pending.size).toBe(0);
  });

  it('are kept apart per producer: a marker completes only its own', async () => {
    const log = logOf('g');
    appendTxnOffsets(log, 'g', [tpo('a', 0, commit(1))], 1n);
    appendTxnOffsets(log, 'g', [tpo('a', 1, commit(2))], 2n);
    appendMarker(log, true, 2n);
    const loaded = await gml.loadPartition(log);
    expect(valuesOf(loaded.offsets.get('g'))).toEqual([tpo('a', 1, commit(2))]);
    expect([...loaded.pending.keys()]).toEqual([1n]);
  });
});

describe('loading pre-0.11 message sets', () => {
  it('applies magic 0 and 1 entries in order', async () => {
    const v2 = buildBatch(
      [
        { ...offsetCommitRecord('g', 'a', 0, commit(1)), timestamp: T0 },
        { ...offsetCommitRecord('g', 'a', 0, commit(2)), timestamp: T0 },
        { ...groupMetadataRecord('g', snapshot('g', 1)), timestamp: T0 },
      ],
      { baseTimestamp: T0 },
    );
    const legacy = Buffer.concat([toLegacy(v2, 0), toLegacy(v2, 1)]);
    // toLegacy keeps offsets 0..2 twice; the loader only needs them in order.
    const fake = {
      topic: OFFSETS_TOPIC,
      partition: 0,
      logStartOffset: 0,
      logEndOffset: 3,
      read: async () => ({ records: legacy }),
    } as unknown as PartitionLog;
    const loaded = await gml.loadPartition(fake);
    expect(loaded.groups.get('g')).toEqual(snapshot('g', 1));
    expect(valuesOf(loaded.offsets.get('g'))).toEqual([tpo('a', 0, commit(2))]);
  });
});
