// FollowerLag: per-partition lags, cleared by 0 or clear(), the active flag the fetcher checks,
// and the change listeners that resume held-back partitions.

import { FollowerLag } from '../../src/control/follower-lag';

describe('FollowerLag', () => {
  it('holds only the partitions set, and is inactive when none is', () => {
    const lag = new FollowerLag();
    expect(lag.active).toBe(false);
    lag.set('t', 1, 5);
    expect(lag.active).toBe(true);
    expect(lag.recordsFor('t', 1)).toBe(5);
    expect(lag.recordsFor('t', 0)).toBe(0);
    expect(lag.recordsFor('u', 1)).toBe(0);
    lag.set('t', 1, 0);
    expect(lag.recordsFor('t', 1)).toBe(0);
    expect(lag.active).toBe(false);
  });

  it('clears one partition, one topic or everything', () => {
    const lag = new FollowerLag();
    lag.set('a', 0, 1);
    lag.set('a', 1, 2);
    lag.set('b', 0, 3);
    lag.clear('a', 0);
    expect([lag.recordsFor('a', 0), lag.recordsFor('a', 1), lag.recordsFor('b', 0)]).toEqual([0, 2, 3]);
    lag.clear('a');
    expect([lag.recordsFor('a', 1), lag.recordsFor('b', 0)]).toEqual([0, 3]);
    lag.clear();
    expect(lag.active).toBe(false);
  });

  it('tells listeners of each change until they stop listening', () => {
    const lag = new FollowerLag();
    let changes = 0;
    const stop = lag.onChange(() => changes++);
    lag.set('t', 0, 3);
    lag.clear();
    expect(changes).toBe(2);
    stop();
    lag.set('t', 0, 1);
    expect(changes).toBe(2);
  });

  it('refuses a lag that is not a whole number of records', () => {
    const lag = new FollowerLag();
    expect(() => lag.set('t', 0, -1)).toThrow(RangeError);
    expect(() => lag.set('t', 0, 1.5)).toThrow(RangeError);
    expect(() => lag.set('t', -1, 1)).toThrow(RangeError);
    expect(lag.active).toBe(false);
  });
});
