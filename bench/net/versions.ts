// API version negotiation. A comparison is fair only if every server gets the same requests, so the
// bench picks, per API, the highest version that the codec and every server in the comparison support.

import { ApiSpec, ApiVersions } from '../../protocol';
import { KafkaConnection } from '../../src/client/kafka-connection';

export type VersionTable = ReadonlyMap<number, { min: number; max: number }>;

/** ApiVersions v0: every broker answers it, whatever it supports. */
export async function fetchVersions(conn: KafkaConnection): Promise<VersionTable> {
  const res = await conn.request(ApiVersions, 0, {});
  if (res.errorCode !== 0) throw new Error(`ApiVersions failed with error ${res.errorCode}`);
  return new Map(res.apiKeys.map((k) => [k.apiKey, { min: k.minVersion, max: k.maxVersion }]));
}

export function commonVersion(spec: ApiSpec, tables: readonly VersionTable[], cap = spec.validVersions.max): number {
  let min = spec.validVersions.min;
  let max = Math.min(spec.validVersions.max, cap);
  for (const table of tables) {
    const range = table.get(spec.apiKey);
    if (!range) throw new Error(`a server does not support ${spec.name}`);
    min = Math.max(min, range.min);
    max = Math.min(max, range.max);
  }
  if (min > max) throw new Error(`no ${spec.name} version common to every server`);
  return max;
}
