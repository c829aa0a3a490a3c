// FollowerLag: per-partition lags, cleared by 0 or clear(), the active flag the fetcher checks,
// the readers told of each change, and applied() waiting for every reader to catch up.

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

  it('tells readers of each change until they close', () => {
    const lag = new FollowerLag();
    let changes = 0;
    const reader = lag.read(() => changes++);
    lag.set('t', 0, 3);
    lag.clear();
    expect(changes).toBe(2);
    reader.close();
    lag.set('t', 0, 1);
    expect(changes).toBe(2);
  });

  it('is applied once every reader has caught up with the latest change', async () => {
    const lag = new FollowerLag();
    const first = lag.read(() => undefined);
    const second = lag.read(() => undefined);
    await lag.applied();
    lag.set('t', 0, 5);
    let applied = false;
    const waiting = lag.applied().then(() => (applied = true));
    first.caughtUp();
    await Promise.resolve();
    expect(applied).toBe(false);
    // A reader that stops reading is no longer waited for.
    second.close();
    await waiting;
    expect(applied).toBe(true);
  });

  it('refuses a lag that is not a whole number of records', () => {
    const lag = new FollowerLag();
    expect(() => lag.set('t', 0, -1)).toThrow(RangeError);
    expect(() => lag.set('t', 0, 1.5)).toThrow(RangeError);
    expect(() => lag.set('t', -1, 1)).toThrow(RangeError);
    expect(lag.active).toBe(false);
  });
});
