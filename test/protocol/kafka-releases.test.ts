// The release tables: spot checks against the KIPs that bumped each version, releases only ever
// adding APIs and versions, and 3.9's row agreeing with every handler this broker has.

import { KAFKA_RELEASES, isKafkaRelease, releaseApiVersions } from '../../protocol/kafka-releases';
import { HANDLERS } from '../../src/handlers';

function max(release: string, apiKey: number): number | undefined {
  return releaseApiVersions(release).get(apiKey)?.max;
}

it('lists the releases 2.0 to 3.9 in order', () => {
  expect(KAFKA_RELEASES).toEqual(['2.0', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7', '2.8', '3.0', '3.1', '3.2', '3.3', '3.4', '3.5', '3.6', '3.7', '3.8', '3.9']);
  expect(isKafkaRelease('2.0')).toBe(true);
  expect(isKafkaRelease('4.0')).toBe(false);
});

it.each([
  ['2.0', 0, 6], // Produce: KIP-219 (throttle after response) bumped every request in 2.0
  ['2.0', 1, 8], // Fetch
  ['2.0', 3, 6], // Metadata
  ['2.0', 18, 2], // ApiVersions
  ['2.1', 0, 7], // Produce: ZStandard, KIP-110
  ['2.1', 1, 10], // Fetch: KIP-320 then KIP-110
  ['2.3', 1, 11], // Fetch: rack-aware fetching, KIP-392
  ['2.4', 0, 8], // Produce: record errors, KIP-467
  ['2.4', 18, 3], // ApiVersions: first flexible version, client software name, KIP-482/KIP-511
  ['2.8', 0, 9], // Produce: flexible, KIP-482
  ['2.8', 3, 11], // Metadata: topic ids (KIP-516) and cluster authorized operations moved (KIP-700)
  ['3.0', 2, 7], // ListOffsets: max timestamp, KIP-734
  ['3.5', 1, 15], // Fetch: KIP-405 then KIP-903
  ['3.7', 0, 10], // Produce: leader discovery, KIP-951
  ['3.8', 0, 11], // Produce: TRANSACTION_ABORTABLE, KIP-890
  ['3.9', 18, 4], // ApiVersions: KAFKA-17011
  ['3.9', 1, 17], // Fetch: KIP-853
])('%s serves API %d up to v%d', (release, apiKey, version) => {
  expect(max(release, apiKey)).toBe(version);
});

it('leaves out APIs a release did not have, and KRaft-only APIs everywhere', () => {
  expect(max('2.0', 43)).toBeUndefined(); // ElectLeaders, from 2.2
  expect(max('2.2', 43)).toBe(0);
  expect(max('2.2', 44)).toBeUndefined(); // IncrementalAlterConfigs, from 2.3
  expect(max('2.7', 60)).toBeUndefined(); // DescribeCluster, from 2.8
  expect(max('2.8', 65)).toBeUndefined(); // DescribeTransactions, from 3.0
  for (const release of KAFKA_RELEASES) {
    for (const kraftOnly of [52, 53, 54, 55, 59, 62, 63, 64, 70, 71, 72, 74, 75, 80, 81, 82]) expect(max(release, kraftOnly)).toBeUndefined();
  }
});

it('has every minimum at 0 and each release serving all its predecessor did, at least as new', () => {
  for (let i = 0; i < KAFKA_RELEASES.length; i++) {
    const apis = releaseApiVersions(KAFKA_RELEASES[i]);
    for (const r of apis.values()) expect(r.min).toBe(0);
    if (i === 0) continue;
    const previous = releaseApiVersions(KAFKA_RELEASES[i - 1]);
    for (const [apiKey, r] of previous) expect(apis.get(apiKey)?.max ?? -1).toBeGreaterThanOrEqual(r.max);
  }
});

it('agrees with every handler of this broker at 3.9', () => {
  const kafka39 = releaseApiVersions('3.9');
  for (const h of HANDLERS) expect([h.spec.name, kafka39.get(h.spec.apiKey)]).toEqual([h.spec.name, { min: h.minVersion, max: h.maxVersion }]);
});

it('names the known releases when asked for an unknown one', () => {
  expect(() => releaseApiVersions('1.1')).toThrow(RangeError);
  expect(() => releaseApiVersions('1.1')).toThrow(/unknown Kafka release "1.1".*2\.0, 2\.1.*3\.9/);
});
