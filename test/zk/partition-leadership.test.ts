// The controller's leader and ISR decisions as brokers die, return and shut down.

import { Candidates, initialLeaderAndIsr, nextLeaderAndIsr, preferredLeaderAndIsr } from '../../src/zk/partition-leadership';

const live = (...ids: number[]) => new Set(ids);
const only = (...ids: number[]): Candidates => ({ live: live(...ids), shuttingDown: live(), unclean: false });

describe('a new partition', () => {
  it('is led by its first live replica, with the live replicas as ISR', () => {
    expect(initialLeaderAndIsr([1, 2, 3], live(1, 2, 3))).toEqual({ leader: 1, isr: [1, 2, 3] });
    expect(initialLeaderAndIsr([1, 2, 3], live(2, 3))).toEqual({ leader: 2, isr: [2, 3] });
  });

  it('gets no state while none of its replicas is live', () => {
    expect(initialLeaderAndIsr([4], live(1, 2))).toBeNull();
  });
});

describe('a partition whose brokers come and go', () => {
  it('stays as it is while leader and ISR are alive', () => {
    expect(nextLeaderAndIsr([1, 2], { leader: 1, isr: [1, 2] }, only(1, 2))).toBeNull();
  });

  it('loses dead followers from the ISR', () => {
    expect(nextLeaderAndIsr([1, 2, 3], { leader: 1, isr: [1, 2, 3] }, only(1, 3))).toEqual({ leader: 1, isr: [1, 3] });
  });

  it('gets the first live ISR replica as leader when its leader dies', () => {
    expect(nextLeaderAndIsr([1, 2, 3], { leader: 1, isr: [1, 3, 2] }, only(2, 3))).toEqual({ leader: 2, isr: [3, 2] });
  });

  it('has no leader, keeping the last leader in the ISR, when no ISR member lives', () => {
    expect(nextLeaderAndIsr([2], { leader: 2, isr: [2] }, only(1, 3))).toEqual({ leader: -1, isr: [2] });
    expect(nextLeaderAndIsr([1, 2], { leader: 1, isr: [1, 2] }, only(3))).toEqual({ leader: -1, isr: [1] });
    expect(nextLeaderAndIsr([2], { leader: -1, isr: [2] }, only(1))).toBeNull();
  });

  it('is led again by an ISR member that returns; a replica outside the ISR may not lead', () => {
    expect(nextLeaderAndIsr([2], { leader: -1, isr: [2] }, only(1, 2))).toEqual({ leader: 2, isr: [2] });
    expect(nextLeaderAndIsr([1, 2], { leader: -1, isr: [2] }, only(1))).toBeNull();
  });
});

describe('unclean leader election', () => {
  it('lets a live out-of-sync replica lead alone only when enabled', () => {
    const c = { live: live(1), shuttingDown: live(), unclean: true };
    expect(nextLeaderAndIsr([1, 2], { leader: 2, isr: [2] }, c)).toEqual({ leader: 1, isr: [1] });
    expect(nextLeaderAndIsr([1, 2], { leader: 2, isr: [2] }, only(1))).toEqual({ leader: -1, isr: [2] });
  });
});

describe('controlled shutdown', () => {
  const stopping = (id: number, ...ids: number[]): Candidates => ({ live: live(id, ...ids), shuttingDown: live(id), unclean: false });

  it('moves leadership to the next ISR member and drops the broker from the ISR', () => {
    expect(nextLeaderAndIsr([1, 2, 3], { leader: 1, isr: [1, 2, 3] }, stopping(1, 2, 3))).toEqual({ leader: 2, isr: [2, 3] });
  });

  it('drops a following broker from the ISR', () => {
    expect(nextLeaderAndIsr([1, 2, 3], { leader: 1, isr: [1, 2, 3] }, stopping(3, 1, 2))).toEqual({ leader: 1, isr: [1, 2] });
  });

  it('keeps the leader when no other ISR member can lead', () => {
    expect(nextLeaderAndIsr([1, 2], { leader: 1, isr: [1] }, stopping(1, 2))).toBeNull();
  });

  it('changes nothing more when the broker then dies: one leader epoch bump per shutdown', () => {
    const moved = nextLeaderAndIsr([1, 2, 3], { leader: 1, isr: [1, 2, 3] }, stopping(1, 2, 3))!;
    expect(nextLeaderAndIsr([1, 2, 3], moved, only(2, 3))).toBeNull();
    const shrunk = nextLeaderAndIsr([2, 3, 1], { leader: 2, isr: [2, 3, 1] }, stopping(1, 2, 3))!;
    expect(nextLeaderAndIsr([2, 3, 1], shrunk, only(2, 3))).toBeNull();
  });
});

describe('preferred replica election', () => {
  it('moves leadership to the first replica when it is alive and in sync', () => {
    expect(preferredLeaderAndIsr([1, 2, 3], { leader: 2, isr: [2, 3, 1] }, only(1, 2, 3))).toEqual({ leader: 1, isr: [2, 3, 1] });
    expect(preferredLeaderAndIsr([1, 2, 3], { leader: 2, isr: [2, 3] }, only(1, 2, 3))).toBeNull();
    expect(preferredLeaderAndIsr([1, 2, 3], { leader: 1, isr: [1, 2, 3] }, only(1, 2, 3))).toBeNull();
  });
});
