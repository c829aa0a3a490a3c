// Caps the API versions a broker advertises and accepts to those of an Apache Kafka release, so a
// test sees how a client falls back to older requests (a "2.0" broker gets Produce v6 at most).
// The dispatcher asks `allows` on every request: with no cap set it costs one null check.

import { VersionRange } from '../../protocol';
import { releaseApiVersions } from '../../protocol/kafka-releases';
import type { ApiRange } from '../handlers/handler';

interface Cap {
  readonly release: string;
  readonly versions: ReadonlyMap<number, VersionRange>;
}

export class VersionCap {
  private current: Cap | null = null;

  /** Caps to this release ("2.0" ... "3.9"), or lifts the cap with null; a RangeError names the known releases. */
  set(release: string | null): void {
    this.current = release === null ? null : { release, versions: releaseApiVersions(release) };
  }

  /** The release the broker is capped to, or null when it serves all it can. */
  get release(): string | null {
    return this.current?.release ?? null;
  }

  /** The broker's ranges cut to the release's: APIs the release lacks, or whose ranges do not meet, are left out. */
  cap(apis: readonly ApiRange[]): ApiRange[] {
    const cap = this.current;
    if (cap === null) return apis.map((a) => ({ ...a }));
    const capped: ApiRange[] = [];
    for (const a of apis) {
      const r = cap.versions.get(a.apiKey);
      if (r === undefined) continue;
      const minVersion = Math.max(a.minVersion, r.min);
      const maxVersion = Math.min(a.maxVersion, r.max);
      if (minVersion <= maxVersion) capped.push({ apiKey: a.apiKey, minVersion, maxVersion });
    }
    return capped;
  }

  /** Whether the release served this version of the API (always, with no cap). */
  allows(apiKey: number, version: number): boolean {
    const cap = this.current;
    if (cap === null) return true;
    const r = cap.versions.get(apiKey);
    return r !== undefined && version >= r.min && version <= r.max;
  }
}
