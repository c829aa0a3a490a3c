import { ControllableClock } from '../src/clock';

describe('ControllableClock', () => {
  it('runs on real time until a test advances it', async () => {
    const clock = new ControllableClock();
    const before = Date.now();
    expect(Math.abs(clock.now() - before)).toBeLessThan(1000);
    await new Promise<void>((resolve) => clock.setTimeout(resolve, 1));
    clock.advance(60_000);
    expect(clock.now() - Date.now()).toBeGreaterThanOrEqual(59_000);
    expect(clock.advancedMs).toBe(60_000);
  });

  it('fires every timer a jump makes due, in deadline order, and no other', () => {
    const clock = new ControllableClock();
    const fired: string[] = [];
    const timers = [
      clock.setTimeout(() => fired.push('30s'), 30_000),
      clock.setTimeout(() => fired.push('10s'), 10_000),
      clock.setTimeout(() => fired.push('2h'), 7_200_000),
    ];
    clock.setTimeout(() => fired.push('cancelled'), 5_000).cancel();
    clock.advance(45_000);
    expect(fired).toEqual(['10s', '30s']);
    for (const t of timers) t.cancel();
    clock.advance(7_200_000);
    expect(fired).toEqual(['10s', '30s']);
  });

  it('fires an interval once per jump, then again a period after the jump', () => {
    const clock = new ControllableClock();
    let runs = 0;
    const interval = clock.setInterval(() => runs++, 1_000);
    clock.advance(10_000);
    expect(runs).toBe(1);
    clock.advance(500);
    expect(runs).toBe(1);
    clock.advance(600);
    expect(runs).toBe(2);
    interval.cancel();
    clock.advance(5_000);
    expect(runs).toBe(2);
  });

  it('refuses to go back', () => {
    expect(() => new ControllableClock().advance(-1)).toThrow(RangeError);
  });
});
