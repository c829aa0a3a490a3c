// The version cap's logic: ranges cut to a release's, unknown releases refused, the per-request check.

import { VersionCap } from '../../src/control/version-cap';
import { ApiRange } from '../../src/handlers/handler';

const BROKER: ApiRange[] = [
  { apiKey: 0, minVersion: 0, maxVersion: 11 }, // Produce: 2.0 serves 0-6
  { apiKey: 1, minVersion: 0, maxVersion: 4 }, // Fetch, below 2.0's 8: stays 0-4
  { apiKey: 2, minVersion: 5, maxVersion: 9 }, // ListOffsets from v5: 2.0 stops at 3, so none
  { apiKey: 18, minVersion: 0, maxVersion: 4 }, // ApiVersions: 2.0 serves 0-2
  { apiKey: 60, minVersion: 0, maxVersion: 1 }, // DescribeCluster: not in 2.0
];

it('serves everything with no cap', () => {
  const cap = new VersionCap();
  expect(cap.release).toBeNull();
  expect(cap.cap(BROKER)).toEqual(BROKER);
  expect(cap.allows(0, 11)).toBe(true);
  expect(cap.allows(999, 0)).toBe(true);
});

it('cuts the broker ranges to the release, dropping what it lacks or cannot meet', () => {
  const cap = new VersionCap();
  cap.set('2.0');
  expect(cap.release).toBe('2.0');
  expect(cap.cap(BROKER)).toEqual([
    { apiKey: 0, minVersion: 0, maxVersion: 6 },
    { apiKey: 1, minVersion: 0, maxVersion: 4 },
    { apiKey: 18, minVersion: 0, maxVersion: 2 },
  ]);
  cap.set('2.8');
  expect(cap.cap(BROKER).map((a) => [a.apiKey, a.maxVersion])).toEqual([
    [0, 9],
    [1, 4],
    [2, 6],
    [18, 3],
    [60, 0],
  ]);
});

it('allows only the versions the release served', () => {
  const cap = new VersionCap();
  cap.set('2.0');
  expect(cap.allows(0, 6)).toBe(true);
  expect(cap.allows(0, 7)).toBe(false);
  expect(cap.allows(18, 3)).toBe(false);
  expect(cap.allows(60, 0)).toBe(false);
  cap.set(null);
  expect(cap.release).toBeNull();
  expect(cap.allows(0, 7)).toBe(true);
});

it('refuses an unknown release, naming the known ones, and keeps the cap it had', () => {
  const cap = new VersionCap();
  cap.set('2.4');
  expect(() => cap.set('4.0')).toThrow(RangeError);
  expect(() => cap.set('2')).toThrow(/known releases: 2\.0, .*3\.9/);
  expect(cap.release).toBe('2.4');
});
