// truncationPoint against Kafka's getOffsetTruncationState cases, on a follower whose log holds
// epoch 0 from offset 0, epoch 2 from 10 and epoch 4 from 20, up to offset 30.

import { LeaderEpochCache } from '../../src/log/leader-epoch-cache';
import { truncationPoint } from '../../src/replication/truncation';
import { makeTempDir, removeDir } from '../log/helpers';

let tmp: string;
let follower: { logEndOffset: number; highWatermark: number; leaderEpochCache: LeaderEpochCache };

beforeEach(() => {
  tmp = makeTempDir();
  const cache = LeaderEpochCache.empty(`${tmp}/leader-epoch-checkpoint`);
  cache.assign(0, 0);
  cache.assign(2, 10);
  cache.assign(4, 20);
  follower = { logEndOffset: 30, highWatermark: 15, leaderEpochCache: cache };
});

afterEach(() => removeDir(tmp));

test('same epoch on both sides: cut where the shorter of the two ends', () => {
  expect(truncationPoint(follower, { epoch: 4, endOffset: 25 })).toEqual({ offset: 25, completed: true });
  expect(truncationPoint(follower, { epoch: 4, endOffset: 40 })).toEqual({ offset: 30, completed: true });
  // The leader's epoch 2 ended at 12; ours ran to 20.
  expect(truncationPoint(follower, { epoch: 2, endOffset: 12 })).toEqual({ offset: 12, completed: true });
});

test('an epoch the follower never had: back to its older epoch end, then ask again', () => {
  expect(truncationPoint(follower, { epoch: 3, endOffset: 18 })).toEqual({ offset: 20, completed: false });
  expect(truncationPoint(follower, { epoch: 1, endOffset: 8 })).toEqual({ offset: 10, completed: false });
});

test('nothing known on the leader keeps the committed part; no epoch on the leader trusts its offset', () => {
  expect(truncationPoint(follower, { epoch: -1, endOffset: -1 })).toEqual({ offset: 15, completed: true });
  expect(truncationPoint(follower, { epoch: -1, endOffset: 22 })).toEqual({ offset: 22, completed: true });
});
