// The controller's leader and ISR decisions as brokers die and return.

import { initialLeaderAndIsr, nextLeaderAndIsr } from '../../src/zk/partition-leadership';

const live = (...ids: number[]) => new Set(ids);

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
    expect(nextLeaderAndIsr([1, 2], { leader: 1, isr: [1, 2] }, live(1, 2))).toBeNull();
  });

  it('loses dead followers from the ISR', () => {
    expect(nextLeaderAndIsr([1, 2, 3], { leader: 1, isr: [1, 2, 3] }, live(1, 3))).toEqual({ leader: 1, isr: [1, 3] });
  });

  it('gets the first live ISR replica as leader when its leader dies', () => {
    expect(nextLeaderAndIsr([1, 2, 3], { leader: 1, isr: [1, 3, 2] }, live(2, 3))).toEqual({ leader: 2, isr: [3, 2] });
  });

  it('has no leader, keeping the last leader in the ISR, when no ISR member lives', () => {
    expect(nextLeaderAndIsr([2], { leader: 2, isr: [2] }, live(1, 3))).toEqual({ leader: -1, isr: [2] });
    expect(nextLeaderAndIsr([1, 2], { leader: 1, isr: [1, 2] }, live(3))).toEqual({ leader: -1, isr: [1] });
    expect(nextLeaderAndIsr([2], { leader: -1, isr: [2] }, live(1))).toBeNull();
  });

  it('is led again by an ISR member that returns; a replica outside the ISR may not lead', () => {
    expect(nextLeaderAndIsr([2], { leader: -1, isr: [2] }, live(1, 2))).toEqual({ leader: 2, isr: [2] });
    expect(nextLeaderAndIsr([1, 2], { leader: -1, isr: [2] }, live(1))).toBeNull();
  });
});
