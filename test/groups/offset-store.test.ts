import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ErrorCode } from '../../protocol/errors';
import { GroupMetadataLog } from '../../src/groups/group-metadata-log';
import { GroupExpiryInfo, OffsetCommitInput, OffsetStore } from '../../src/groups/offset-store';
import { OFFSETS_TOPIC } from '../../src/groups/offsets-topic';
import { DEFAULT_LOG_CONFIG, LogConfig } from '../../src/log/log-config';
import { PartitionLog } from '../../src/log/partition-log';
import { localWriter } from './local-writer';

const T0 = 1_700_000_000_000;
const PARTITIONS = 4;
const DAY = 24 * 60 * 60 * 1000;
const RETENTION = 7 * DAY;

let dir: string;
let logs: Map<number, PartitionLog>;
let config: LogConfig;
let gml: GroupMetadataLog;
let store: OffsetStore;

function partitionLog(p: number): PartitionLog {
  let log = logs.get(p);
  if (!log) {
    log = PartitionLog.create({ logDir: dir, topic: OFFSETS_TOPIC, partition: p, config, now: T0 });
    logs.set(p, log);
  }
  return log;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-ts-offset-store-'));
  logs = new Map();
  config = DEFAULT_LOG_CONFIG;
  gml = new GroupMetadataLog({ numPartitions: PARTITIONS, writer: localWriter(partitionLog, () => T0), now: () => T0 });
  store = new OffsetStore({ log: gml });
});

afterEach(() => {
  for (const log of logs.values()) log.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function input(topic: string, partition: number, offset: number, extra: Partial<OffsetCommitInput> = {}): OffsetCommitInput {
  return { topic, partition, offset, leaderEpoch: 1, metadata: null, ...extra };
}

/** What a fresh store would hold after loading every partition from the log. */
async function reloaded(): Promise<OffsetStore> {
  const fresh = new OffsetStore({ log: gml });
  for (let p = 0; p < PARTITIONS; p++) fresh.load(await gml.loadPartition(partitionLog(p)));
  return fresh;
}

function offsetsOf(s: OffsetStore, groupId: string): [string, number, number][] {
  return s
    .fetch(groupId, null)
    .map((o): [string, number, number] => [o.topic, o.partition, o.committed.offset])
    .sort();
}

describe('commit and fetch', () => {
  it('stores commits and reads them back, unknown partitions as -1', async () => {
    const result = await store.commit('g', [input('a', 0, 10, { metadata: 'm', leaderEpoch: 3 }), input('a', 1, 11)], T0 + 5);
    expect(result).toEqual([
      { topic: 'a', partition: 0, errorCode: ErrorCode.NONE },
      { topic: 'a', partition: 1, errorCode: ErrorCode.NONE },
    ]);
    expect(store.fetch('g', [{ topic: 'a', partition: 0 }, { topic: 'a', partition: 1 }, { topic: 'b', partition: 0 }])).toEqual([
      { topic: 'a', partition: 0, committed: { offset: 10, leaderEpoch: 3, metadata: 'm', commitTimestamp: T0 + 5, expireTimestamp: -1 } },
      { topic: 'a', partition: 1, committed: { offset: 11, leaderEpoch: 1, metadata: '', commitTimestamp: T0 + 5, expireTimestamp: -1 } },
      { topic: 'b', partition: 0, committed: { offset: -1, leaderEpoch: -1, metadata: '', commitTimestamp: -1, expireTimestamp: -1 } },
    ]);
    expect(store.fetch('unknown', [{ topic: 'a', partition: 0 }])[0].committed.offset).toBe(-1);
    expect(store.fetch('unknown', null)).toEqual([]);
    expect(store.groupIds()).toEqual(['g']);
    expect(store.hasOffsets('g')).toBe(true);
    expect(store.hasOffsets('unknown')).toBe(false);
  });

  it('lets a later commit replace an earlier one', async () => {
    await store.commit('g', [input('a', 0, 10)], T0);
    await store.commit('g', [input('a', 0, 20, { expireTimestamp: T0 + DAY })], T0 + 1);
    expect(store.fetch('g', [{ topic: 'a', partition: 0 }])[0].committed).toEqual({
      offset: 20,
      leaderEpoch: 1,
      metadata: '',
      commitTimestamp: T0 + 1,
      expireTimestamp: T0 + DAY,
    });
    const fresh = await reloaded();
    // Written as OffsetCommitValue v1, which has no leader epoch.
    expect(fresh.fetch('g', [{ topic: 'a', partition: 0 }])[0].committed).toEqual({
      offset: 20,
      leaderEpoch: -1,
      metadata: '',
      commitTimestamp: T0 + 1,
      expireTimestamp: T0 + DAY,
    });
  });

  it('rejects only the partitions whose metadata is too large', async () => {
    const result = await store.commit('g', [input('a', 0, 1, { metadata: 'x'.repeat(4097) }), input('a', 1, 2, { metadata: 'y'.repeat(4096) })], T0);
    expect(result.map((r) => r.errorCode)).toEqual([ErrorCode.OFFSET_METADATA_TOO_LARGE, ErrorCode.NONE]);
    expect(offsetsOf(store, 'g')).toEqual([['a', 1, 2]]);
    expect(offsetsOf(await reloaded(), 'g')).toEqual([['a', 1, 2]]);
  });

  it('writes nothing when every partition is rejected', async () => {
    const result = await store.commit('g', [input('a', 0, 1, { metadata: 'x'.repeat(5000) })], T0);
    expect(result[0].errorCode).toBe(ErrorCode.OFFSET_METADATA_TOO_LARGE);
    expect(store.hasOffsets('g')).toBe(false);
    expect(logs.size).toBe(0);
  });

  it('honours a configured metadata limit', async () => {
    const small = new OffsetStore({ log: gml, maxMetadataSize: 3 });
    expect((await small.commit('g', [input('a', 0, 1, { metadata: 'abcd' })], T0))[0].errorCode).toBe(ErrorCode.OFFSET_METADATA_TOO_LARGE);
  });

  it('reports a failed write as the commit error and keeps memory unchanged', async () => {
    config = { ...DEFAULT_LOG_CONFIG, maxMessageBytes: 200 };
    await store.commit('g', [input('a', 0, 1)], T0);
    const many = Array.from({ length: 20 }, (_, i) => input('a', i, 100 + i));
    expect(new Set((await store.commit('g', many, T0)).map((r) => r.errorCode))).toEqual(new Set([ErrorCode.INVALID_COMMIT_OFFSET_SIZE]));
    expect(offsetsOf(store, 'g')).toEqual([['a', 0, 1]]);
  });

  it('survives a reload from the log', async () => {
    await store.commit('g1', [input('a', 0, 10), input('b', 3, 30, { metadata: 'meta' })], T0);
    await store.commit('g2', [input('a', 0, 7)], T0);
    const fresh = await reloaded();
    expect(fresh.groupIds().sort()).toEqual(['g1', 'g2']);
    expect(fresh.fetch('g1', null).sort((x, y) => x.topic.localeCompare(y.topic))).toEqual(
      store.fetch('g1', null).sort((x, y) => x.topic.localeCompare(y.topic)),
    );
    expect(offsetsOf(fresh, 'g2')).toEqual([['a', 0, 7]]);
  });
});

describe('deletion', () => {
  beforeEach(async () => {
    await store.commit('g1', [input('a', 0, 1), input('a', 1, 2), input('b', 0, 3)], T0);
    await store.commit('g2', [input('a', 0, 4)], T0);
    await store.commit('g3', [input('c', 0, 5)], T0);
  });

  it('deleteOffsets removes the listed partitions that exist', async () => {
    expect(store.deleteOffsets('g1', [{ topic: 'a', partition: 1 }, { topic: 'z', partition: 0 }])).toEqual([{ topic: 'a', partition: 1 }]);
    expect(offsetsOf(store, 'g1')).toEqual([
      ['a', 0, 1],
      ['b', 0, 3],
    ]);
    expect(store.deleteOffsets('nobody', [{ topic: 'a', partition: 0 }])).toEqual([]);
    expect(offsetsOf(await reloaded(), 'g1')).toEqual(offsetsOf(store, 'g1'));
  });

  it('deleteGroup removes all of a group', async () => {
    expect(store.deleteGroup('g1')).toBe(3);
    expect(store.hasOffsets('g1')).toBe(false);
    expect(store.deleteGroup('g1')).toBe(0);
    const fresh = await reloaded();
    expect(fresh.hasOffsets('g1')).toBe(false);
    expect(fresh.groupIds().sort()).toEqual(['g2', 'g3']);
  });

  it('removeTopic removes the topic from every group and returns the emptied groups', async () => {
    expect(store.removeTopic('a')).toEqual(['g2']);
    expect(offsetsOf(store, 'g1')).toEqual([['b', 0, 3]]);
    expect(store.groupIds().sort()).toEqual(['g1', 'g3']);
    const fresh = await reloaded();
    expect(fresh.groupIds().sort()).toEqual(['g1', 'g3']);
    expect(offsetsOf(fresh, 'g1')).toEqual([['b', 0, 3]]);
  });
});

describe('expiry (KIP-211)', () => {
  const info = (over: Partial<GroupExpiryInfo>): GroupExpiryInfo => ({
    state: 'Stable',
    protocolType: 'consumer',
    currentStateTimestamp: -1,
    subscribedTopics: null,
    ...over,
  });

  it('expires offsets of groups it has no group for by commit time', async () => {
    await store.commit('simple', [input('a', 0, 1)], T0);
    await store.commit('simple', [input('a', 1, 2)], T0 + DAY);
    expect(store.expire(T0 + RETENTION - 1, RETENTION, () => undefined)).toEqual([]);
    expect(store.expire(T0 + RETENTION, RETENTION, () => undefined)).toEqual([]);
    expect(offsetsOf(store, 'simple')).toEqual([['a', 1, 2]]);
    expect(store.expire(T0 + DAY + RETENTION, RETENTION, () => undefined)).toEqual(['simple']);
    expect(store.hasOffsets('simple')).toBe(false);
    expect((await reloaded()).hasOffsets('simple')).toBe(false);
  });

  it('treats a group with no protocol type as a standalone committer', async () => {
    await store.commit('g', [input('a', 0, 1)], T0);
    const standalone = info({ state: 'Empty', protocolType: '', currentStateTimestamp: T0 + 5 * DAY });
    expect(store.expire(T0 + RETENTION, RETENTION, () => standalone)).toEqual(['g']);
  });

  it("counts an Empty group's retention from when it became Empty", async () => {
    await store.commit('g', [input('a', 0, 1)], T0);
    const empty = info({ state: 'Empty', currentStateTimestamp: T0 + 2 * DAY });
    expect(store.expire(T0 + RETENTION + DAY, RETENTION, () => empty)).toEqual([]);
    expect(store.hasOffsets('g')).toBe(true);
    expect(store.expire(T0 + 2 * DAY + RETENTION, RETENTION, () => empty)).toEqual(['g']);
  });

  it('falls back to the commit time for an Empty group without a state timestamp', async () => {
    await store.commit('g', [input('a', 0, 1)], T0);
    expect(store.expire(T0 + RETENTION, RETENTION, () => info({ state: 'Empty' }))).toEqual(['g']);
  });

  it('expires a consumer group only on topics it no longer subscribes to', async () => {
    await store.commit('g', [input('a', 0, 1), input('b', 0, 2)], T0);
    const stable = info({ subscribedTopics: new Set(['a']) });
    expect(store.expire(T0 + 30 * DAY, RETENTION, () => stable)).toEqual([]);
    expect(offsetsOf(store, 'g')).toEqual([['a', 0, 1]]);
    // The same while rebalancing: the subscription is still known.
    await store.commit('g', [input('b', 0, 3)], T0);
    expect(store.expire(T0 + 30 * DAY, RETENTION, () => ({ ...stable, state: 'PreparingRebalance' }))).toEqual([]);
    expect(offsetsOf(store, 'g')).toEqual([['a', 0, 1]]);
  });

  it('keeps offsets of groups with members whose subscriptions it cannot know', async () => {
    await store.commit('consumer', [input('a', 0, 1)], T0);
    await store.commit('connect', [input('a', 0, 1, { expireTimestamp: T0 + 1 })], T0);
    const groups: Record<string, GroupExpiryInfo> = {
      consumer: info({ subscribedTopics: null }),
      connect: info({ protocolType: 'connect', subscribedTopics: new Set() }),
    };
    expect(store.expire(T0 + 30 * DAY, RETENTION, (id) => groups[id])).toEqual([]);
    expect(store.groupIds().sort()).toEqual(['connect', 'consumer']);
  });

  it('lets an explicit expire timestamp win over retention', async () => {
    await store.commit('g', [input('a', 0, 1, { expireTimestamp: T0 + DAY }), input('a', 1, 2), input('b', 0, 3, { expireTimestamp: T0 + 30 * DAY })], T0);
    const empty = info({ state: 'Empty', currentStateTimestamp: T0 });
    expect(store.expire(T0 + DAY, RETENTION, () => empty)).toEqual([]);
    expect(offsetsOf(store, 'g')).toEqual([
      ['a', 1, 2],
      ['b', 0, 3],
    ]);
    expect(store.expire(T0 + RETENTION, RETENTION, () => empty)).toEqual([]);
    expect(offsetsOf(store, 'g')).toEqual([['b', 0, 3]]);
    expect(store.expire(T0 + 30 * DAY, RETENTION, () => empty)).toEqual(['g']);
  });

  it('writes the tombstones as one batch per group', async () => {
    await store.commit('g', [input('a', 0, 1), input('a', 1, 2)], T0);
    const log = partitionLog(gml.partitionFor('g'));
    const before = log.logEndOffset;
    store.expire(T0 + RETENTION, RETENTION, () => undefined);
    expect(log.logEndOffset).toBe(before + 2);
    const loaded = await gml.loadPartition(log);
    expect(loaded.offsets.has('g')).toBe(false);
  });
});
