// PartitionLog.appendAsFollower: the leader's batches land as they are (base offsets, leader epochs,
// bytes), segments roll and index where the leader's did, the epoch cache follows the batches, and
// damaged or out-of-order batches are refused before anything is written.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ErrorCode, KafkaError } from '../../protocol/errors';
import { PartitionLog } from '../../src/log/partition-log';
import { flushPendingWrites } from '../../src/log/pending-writes';
import { batch, makeTempDir, removeDir, testConfig } from '../log/helpers';

const T0 = 1_700_000_000_000;

let tmp: string;
const logs: PartitionLog[] = [];

beforeEach(() => {
  tmp = makeTempDir();
});

afterEach(() => {
  for (const l of logs.splice(0)) l.close();
  removeDir(tmp);
});

function createLog(name: string): PartitionLog {
  const log = PartitionLog.create({ logDir: path.join(tmp, name), topic: 'events', partition: 0, config: testConfig({ segmentBytes: 2048 }), now: T0 });
  logs.push(log);
  return log;
}

/** The leader's log after `n` produce appends, epoch changing from 0 to 3 halfway. */
function leaderWith(n: number): PartitionLog {
  const leader = createLog('leader');
  for (let i = 0; i < n; i++) leader.append(batch(i, 1 + (i % 3), T0 + i), { leaderEpoch: i < n / 2 ? 0 : 3, now: T0 + i });
  return leader;
}

function files(log: PartitionLog): Map<string, Buffer> {
  return new Map(fs.readdirSync(log.dir).sort().map((f) => [f, fs.readFileSync(path.join(log.dir, f))]));
}

test('batches keep the leader offsets and epochs, and the files come out identical', async () => {
  const leader = leaderWith(40);
  const follower = createLog('follower');
  let offset = 0;
  while (offset < leader.logEndOffset) {
    // Fetched chunks may exceed segment.bytes (2048): they are written batch by batch.
    const { records } = await leader.read(offset, 5000, { minOneBatch: true });
    const info = follower.appendAsFollower(Buffer.from(records), T0);
    expect(info.firstOffset).toBe(offset);
    offset = info.lastOffset + 1;
  }
  leader.flush();
  follower.flush();
  flushPendingWrites();
  expect(follower.logEndOffset).toBe(leader.logEndOffset);
  expect(follower.segmentBaseOffsets()).toEqual(leader.segmentBaseOffsets());
  expect(follower.segmentBaseOffsets().length).toBeGreaterThan(2);
  expect(follower.leaderEpochCache.entries()).toEqual(leader.leaderEpochCache.entries());
  const [ours, theirs] = [files(follower), files(leader)];
  expect([...ours.keys()]).toEqual([...theirs.keys()]);
  for (const [name, bytes] of theirs) expect(ours.get(name)!.equals(bytes)).toBe(true);
});

test('the high watermark is tracked once initialised, and its moves up are announced', () => {
  const follower = createLog('follower');
  const seen: number[] = [];
  follower.onHighWatermark((hw) => seen.push(hw));
  follower.append(batch(0, 2, T0), { leaderEpoch: 0, now: T0 });
  expect(seen).toEqual([2]);
  follower.initHighWatermark();
  expect(follower.highWatermark).toBe(0);
  follower.append(batch(1, 2, T0), { leaderEpoch: 0, now: T0 });
  expect(follower.highWatermark).toBe(0);
  follower.highWatermark = 3;
  follower.highWatermark = 10;
  follower.highWatermark = 1;
  expect(follower.highWatermark).toBe(1);
  expect(seen).toEqual([2, 3, 4]);
});

test('a damaged batch or one that does not follow the log end is refused whole', async () => {
  const leader = leaderWith(4);
  const follower = createLog('follower');
  const { records } = await leader.read(0, 1 << 20, { minOneBatch: true });

  const damaged = Buffer.from(records);
  damaged[damaged.length - 1] ^= 0xff;
  expect(() => follower.appendAsFollower(damaged, T0)).toThrow(expect.objectContaining({ code: ErrorCode.CORRUPT_MESSAGE }));
  expect(follower.logEndOffset).toBe(0);

  follower.appendAsFollower(Buffer.from(records), T0);
  const again = () => follower.appendAsFollower(Buffer.from(records), T0);
  expect(again).toThrow(KafkaError);
  expect(again).toThrow(/does not follow offset/);
  expect(follower.logEndOffset).toBe(leader.logEndOffset);
});
