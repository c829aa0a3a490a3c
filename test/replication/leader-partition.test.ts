// LeaderPartition: the high watermark is the smallest log end over the ISR and never goes back;
// followers join the ISR once they reach it, leave it when they lag past the lag time with data
// to fetch; acks=all waits end replicated, timed out (on the injected clock), or resigned.

import { LeaderPartition } from '../../src/replication/leader-partition';
import { PartitionLog } from '../../src/log/partition-log';
import { FakeClock } from '../helpers/fake-clock';
import { batch, makeTempDir, removeDir, testConfig } from '../log/helpers';

const T0 = 1_700_000_000_000;
const LAG = 1000;

let tmp: string;
let clock: FakeClock;
let log: PartitionLog;
let leader: LeaderPartition;

beforeEach(() => {
  tmp = makeTempDir();
  clock = new FakeClock(T0);
  log = PartitionLog.create({ logDir: tmp, topic: 'events', partition: 0, config: testConfig(), now: T0 });
});

afterEach(() => {
  leader?.close();
  log.close();
  removeDir(tmp);
});

function append(records: number): void {
  log.append(batch(log.logEndOffset, records, T0), { leaderEpoch: leader.leaderEpoch, now: T0 });
}

test('the high watermark is the smallest log end over the ISR and never moves back', () => {
  leader = new LeaderPartition(log, 1, 0, [1, 2, 3], [1, 2, 3], clock);
  append(10);
  // Followers that have not fetched hold it where it was.
  expect(log.highWatermark).toBe(0);
  leader.followerFetched(2, 10, 10);
  expect(log.highWatermark).toBe(0);
  leader.followerFetched(3, 4, 10);
  expect(log.highWatermark).toBe(4);
  leader.followerFetched(3, 10, 10);
  expect(log.highWatermark).toBe(10);
  // A follower fetching from further back (it truncated) does not pull it down.
  leader.followerFetched(3, 6, 10);
  expect(log.highWatermark).toBe(10);
});

test('a leader alone in the ISR moves the high watermark with every append', () => {
  leader = new LeaderPartition(log, 1, 0, [1, 2], [1], clock);
  append(3);
  expect(log.highWatermark).toBe(3);
  expect(leader.followerFetched(2, 1, 3)).toBeNull();
  expect(log.highWatermark).toBe(3);
});

test('a new leader epoch starts at the log end in the epoch cache', () => {
  leader = new LeaderPartition(log, 1, 0, [1], [1], clock);
  append(5);
  leader.update(4, [1], [1]);
  expect(log.leaderEpochCache.entries()).toEqual([
    { epoch: 0, startOffset: 0 },
    { epoch: 4, startOffset: 5 },
  ]);
});

test('a follower joins the ISR once it reached the high watermark and the epoch start', () => {
  append0(5);
  leader = new LeaderPartition(log, 1, 2, [1, 2, 3], [1, 2], clock);
  append(5);
  leader.followerFetched(2, 10, 10);
  expect(log.highWatermark).toBe(10);
  expect(leader.followerFetched(3, 3, 10)).toBeNull();
  expect(leader.followerFetched(3, 10, 10)).toEqual([1, 2, 3]);
  // One change at a time: while it is written nothing else is proposed.
  leader.beginIsrChange([1, 2, 3]);
  expect(leader.followerFetched(3, 10, 10)).toBeNull();
  leader.endIsrChange(true);
  expect(leader.isr).toEqual([1, 2, 3]);
});

test('followers lagging with data to fetch leave the ISR after the lag time; idle caught-up ones stay', () => {
  leader = new LeaderPartition(log, 1, 0, [1, 2, 3], [1, 2, 3], clock);
  leader.followerFetched(2, 0, 0);
  leader.followerFetched(3, 0, 0);
  clock.advance(10 * LAG);
  // Caught up with a log that has not moved: in sync however long ago they fetched.
  expect(leader.outOfSyncReplicas(LAG)).toEqual([]);
  append(5);
  leader.followerFetched(2, 5, 5);
  // Follower 3 last caught up when it fetched, 10 lag times ago by the clock.
  expect(leader.outOfSyncReplicas(10 * LAG)).toEqual([]);
  expect(leader.outOfSyncReplicas(10 * LAG - 1)).toEqual([3]);
  // The high watermark waits for the ISR as written, and moves once the shrink is.
  expect(log.highWatermark).toBe(0);
  leader.beginIsrChange([1, 2]);
  expect(log.highWatermark).toBe(0);
  leader.endIsrChange(true);
  expect(log.highWatermark).toBe(5);
});

test('a follower falls out of sync exactly when the clock passes its last catch-up plus the lag time', () => {
  leader = new LeaderPartition(log, 1, 0, [1, 2], [1, 2], clock);
  append(5);
  leader.followerFetched(2, 5, 5);
  append(5);
  clock.advance(LAG);
  expect(leader.outOfSyncReplicas(LAG)).toEqual([]);
  clock.advance(1);
  expect(leader.outOfSyncReplicas(LAG)).toEqual([2]);
  // Catching up again puts it back in sync at the clock's time.
  leader.followerFetched(2, 10, 10);
  append(5);
  clock.advance(LAG);
  expect(leader.outOfSyncReplicas(LAG)).toEqual([]);
});

test('acks=all waits end replicated, timed out, or resigned', async () => {
  leader = new LeaderPartition(log, 1, 0, [1, 2], [1, 2], clock);
  append(4);
  const replicated = leader.waitForHighWatermark(4, 10_000);
  const timedOut = leader.waitForHighWatermark(8, 20);
  const resigned = leader.waitForHighWatermark(8, 10_000);
  leader.followerFetched(2, 4, 4);
  expect(await replicated).toBe('replicated');
  clock.advance(20);
  expect(await timedOut).toBe('timeout');
  leader.close();
  expect(await resigned).toBe('resigned');
  expect(await leader.waitForHighWatermark(1, 10_000)).toBe('resigned');
  expect(clock.liveTimers).toBe(0);
});

test('an acks=all wait times out exactly when the clock passes its timeout, and not before', async () => {
  leader = new LeaderPartition(log, 1, 0, [1, 2], [1, 2], clock);
  append(4);
  let outcome: string | null = null;
  void leader.waitForHighWatermark(4, 5000).then((o) => (outcome = o));
  clock.advance(4999);
  await settle();
  expect(outcome).toBeNull();
  clock.advance(1);
  await settle();
  expect(outcome).toBe('timeout');
  // Once replicated, a wait's timer is gone: nothing fires later.
  const replicated = leader.waitForHighWatermark(4, 5000);
  leader.followerFetched(2, 4, 4);
  expect(await replicated).toBe('replicated');
  expect(clock.liveTimers).toBe(0);
});

/** Lets promise callbacks of what the clock just ran take effect. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** Appends before any leader state exists: an earlier epoch's data. */
function append0(records: number): void {
  log.append(batch(0, records, T0), { leaderEpoch: 0, now: T0 });
}

describe('the low watermark (DeleteRecords)', () => {
  const settled = async (p: Promise<unknown>) => (await Promise.race([p, Promise.resolve('pending')])) !== 'pending';

  test('is the smallest log start over this log and the live replicas; a deletion waits for it', async () => {
    const alive = new Set([1, 2, 3]);
    leader = new LeaderPartition(log, 1, 0, [1, 2, 3], [1, 2, 3], clock, (id) => alive.has(id));
    append(10);
    leader.followerFetched(2, 10, 10, 0);
    leader.followerFetched(3, 10, 10, 0);
    log.deleteRecordsBefore(6);
    expect(leader.lowWatermark()).toBe(0);
    const waiting = leader.waitForLowWatermark(6, 5000);
    leader.followerFetched(2, 10, 10, 6);
    expect(await settled(waiting)).toBe(false);
    // A replica on a dead broker no longer holds it back, once the leader hears of the change.
    alive.delete(3);
    leader.update(0, [1, 2, 3], [1, 2]);
    expect(await waiting).toBe('replicated');
    expect(leader.lowWatermark()).toBe(6);
  });

  test('a replica that has not fetched holds it; the wait ends by timeout or resignation', async () => {
    leader = new LeaderPartition(log, 1, 0, [1, 2], [1, 2], clock);
    append(4);
    log.highWatermark = 4;
    log.deleteRecordsBefore(2);
    expect(leader.lowWatermark()).toBe(-1);
    const timedOut = leader.waitForLowWatermark(2, 1000);
    clock.advance(1000);
    expect(await timedOut).toBe('timeout');
    const resigned = leader.waitForLowWatermark(2, 1000);
    leader.close();
    expect(await resigned).toBe('resigned');
  });
});
