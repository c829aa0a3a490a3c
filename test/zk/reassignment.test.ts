// Reassignment bookkeeping as the topic znode keeps it, and the leader and ISR each step implies.

import { Candidates } from '../../src/zk/partition-leadership';
import { leaderAndIsrFor, originalReplicas, partitionAssignment, reassignTo, settledAt, targetReplicas, withPartition } from '../../src/zk/reassignment';
import { TopicAssignment } from '../../src/zk/znode-payloads';

const only = (...ids: number[]): Candidates => ({ live: new Set(ids), shuttingDown: new Set(), unclean: false });
const settled = (replicas: number[]) => ({ replicas, adding: [], removing: [] });

describe('reassignTo', () => {
  it('lists target then origin, adding what is new and removing what is not in the target', () => {
    expect(reassignTo(settled([1, 2]), [2, 3])).toEqual({ replicas: [2, 3, 1], adding: [3], removing: [1] });
  });

  it('keeps the origin of a reassignment already under way', () => {
    const moving = reassignTo(settled([1, 2]), [2, 3]);
    expect(reassignTo(moving, [4])).toEqual({ replicas: [4, 2, 1], adding: [4], removing: [2, 1] });
    expect(originalReplicas(moving)).toEqual([2, 1]);
    expect(targetReplicas(moving)).toEqual([2, 3]);
  });
});

describe('withPartition', () => {
  const topic: TopicAssignment = { replicas: [[1, 2], [2, 3]], topicId: 'id', addingReplicas: {}, removingReplicas: {} };

  it('writes one partition, listing adding and removing only while it has some', () => {
    const moving = withPartition(topic, 1, reassignTo(settled([2, 3]), [3, 1]));
    expect(moving).toEqual({ replicas: [[1, 2], [3, 1, 2]], topicId: 'id', addingReplicas: { 1: [1] }, removingReplicas: { 1: [2] } });
    expect(partitionAssignment(moving, 1)).toEqual({ replicas: [3, 1, 2], adding: [1], removing: [2] });
    expect(withPartition(moving, 1, settledAt([3, 1]))).toEqual({ replicas: [[1, 2], [3, 1]], topicId: 'id', addingReplicas: {}, removingReplicas: {} });
  });
});

describe('leaderAndIsrFor', () => {
  it('changes nothing while the leader and ISR fit the assignment', () => {
    expect(leaderAndIsrFor(reassignTo(settled([1, 2]), [2, 3]), { leader: 1, isr: [1, 2] }, only(1, 2, 3))).toBeNull();
  });

  it('drops removed replicas from the ISR and moves leadership into the target', () => {
    expect(leaderAndIsrFor(settledAt([2, 3]), { leader: 1, isr: [1, 2, 3] }, only(1, 2, 3))).toEqual({ leader: 2, isr: [2, 3] });
    expect(leaderAndIsrFor(settledAt([3, 2]), { leader: 2, isr: [1, 2, 3] }, only(1, 2, 3))).toEqual({ leader: 2, isr: [2, 3] });
  });

  it('skips dead target replicas, and leaves no leader when no target replica can lead', () => {
    expect(leaderAndIsrFor(settledAt([2, 3]), { leader: 1, isr: [1, 2, 3] }, only(1, 3))).toEqual({ leader: 3, isr: [2, 3] });
    expect(leaderAndIsrFor(settledAt([2]), { leader: 1, isr: [1] }, only(1, 2))).toEqual({ leader: -1, isr: [] });
  });
});
