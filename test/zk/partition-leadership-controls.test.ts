// The controller's rules for the test controls: which broker a leader may move to (the preferred
// election's rule, for any replica) and which ISR a shrink may leave.

import { Candidates, ineligibleLeader, invalidIsrShrink, preferredLeaderAndIsr } from '../../src/zk/partition-leadership';

const live = (...ids: number[]) => new Set(ids);
const candidates = (alive: number[], shuttingDown: number[] = []): Candidates => ({ live: live(...alive), shuttingDown: live(...shuttingDown), unclean: false });

describe('moving a leader', () => {
  const current = { leader: 1, isr: [1, 2] };

  it('may go to a live replica in the ISR', () => {
    expect(ineligibleLeader(2, [1, 2, 3], current, candidates([1, 2, 3]))).toBeNull();
  });

  it('says why another broker may not lead', () => {
    expect(ineligibleLeader(4, [1, 2, 3], current, candidates([1, 2, 3, 4]))).toMatch(/not a replica/);
    expect(ineligibleLeader(2, [1, 2, 3], current, candidates([1, 3]))).toMatch(/not alive/);
    expect(ineligibleLeader(2, [1, 2, 3], current, candidates([1, 2, 3], [2]))).toMatch(/shutting down/);
    expect(ineligibleLeader(3, [1, 2, 3], current, candidates([1, 2, 3]))).toMatch(/not in the ISR/);
  });

  it('follows the rule the preferred election applies to the first replica', () => {
    expect(preferredLeaderAndIsr([2, 1, 3], current, candidates([1, 2, 3]))).toEqual({ leader: 2, isr: [1, 2] });
    expect(preferredLeaderAndIsr([3, 1, 2], current, candidates([1, 2, 3]))).toBeNull();
  });
});

describe('shrinking an ISR', () => {
  const current = { leader: 1, isr: [1, 2, 3] };

  it('may leave any subset holding the leader', () => {
    expect(invalidIsrShrink(current, [1, 3])).toBeNull();
    expect(invalidIsrShrink(current, [1])).toBeNull();
    expect(invalidIsrShrink(current, [3, 2, 1])).toBeNull();
  });

  it('says why an ISR may not be left', () => {
    expect(invalidIsrShrink(current, [])).toMatch(/may not be empty/);
    expect(invalidIsrShrink(current, [1, 1])).toMatch(/twice/);
    expect(invalidIsrShrink(current, [1, 4])).toMatch(/\[4\] are not in the current ISR/);
    expect(invalidIsrShrink(current, [2, 3])).toMatch(/leaves out the leader 1/);
    expect(invalidIsrShrink({ leader: -1, isr: [2] }, [2])).toMatch(/no leader/);
  });
});
