// Where a follower cuts its log, given the leader's end offset for an epoch (an OffsetForLeaderEpoch
// answer, or a Fetch response's diverging epoch): Kafka's AbstractFetcherThread.getOffsetTruncationState.
// Everything the follower holds past the point where its history and the leader's part is removed.

import { EpochEndOffset, LeaderEpochCache, UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET } from '../log/leader-epoch-cache';

export interface FollowerLogView {
  logEndOffset: number;
  highWatermark: number;
  leaderEpochCache: Pick<LeaderEpochCache, 'endOffsetFor'>;
}

export interface TruncationPoint {
  offset: number;
  /** False: the follower does not know the epoch the leader answered with; it asks again for its own latest. */
  completed: boolean;
}

export function truncationPoint(log: FollowerLogView, leader: EpochEndOffset): TruncationPoint {
  const end = log.logEndOffset;
  // The leader knows no epoch as old as ours: keep only what is known committed.
  if (leader.endOffset === UNDEFINED_EPOCH_OFFSET) return { offset: Math.min(log.highWatermark, end), completed: true };
  if (leader.epoch === UNDEFINED_EPOCH) return { offset: Math.min(leader.endOffset, end), completed: true };
  const ours = log.leaderEpochCache.endOffsetFor(leader.epoch, end);
  // We hold no epoch at or below the leader's: its end offset is all there is to go by.
  if (ours.endOffset === UNDEFINED_EPOCH_OFFSET) return { offset: Math.min(leader.endOffset, end), completed: true };
  // The leader's epoch is unknown here: cut back to the end of our largest older one and ask again.
  if (ours.epoch !== leader.epoch) return { offset: Math.min(ours.endOffset, end), completed: false };
  return { offset: Math.min(ours.endOffset, leader.endOffset, end), completed: true };
}
