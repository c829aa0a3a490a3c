// Which fetcher follows each partition (Kafka's ReplicaFetcherManager), one fetcher per leader
// broker. A partition whose leader or leader epoch changed leaves its fetcher and joins the new
// leader's, truncating first; a fetcher left without partitions stops.

import { Clock } from '../clock';
import { Logger } from '../logger';
import { Endpoint, FetcherSettings, FollowedPartition, ReplicaFetcher, partitionKey } from './replica-fetcher';

export interface FollowTarget extends FollowedPartition {
  leaderId: number;
}

export class ReplicaFetcherManager {
  private readonly fetchers = new Map<number, ReplicaFetcher>();
  private readonly stopping = new Set<Promise<void>>();

  constructor(
    private readonly endpointOf: (brokerId: number) => Endpoint | null,
    private readonly settings: FetcherSettings,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Follows one partition from its leader, moving it from another leader's fetcher if need be. */
  followOne(t: FollowTarget): void {
    const key = partitionKey(t.topic, t.partition);
    const current = this.fetchers.get(t.leaderId)?.following(key);
    if (current && current.leaderEpoch === t.leaderEpoch && current.log === t.log) return;
    for (const [leaderId, fetcher] of this.fetchers) if (leaderId !== t.leaderId) fetcher.remove(key);
    this.fetcherFor(t.leaderId).add(t);
    this.stopIdle();
  }

  /** Stops following a partition at once (this broker leads it now). */
  unfollow(topic: string, partition: number): void {
    for (const fetcher of this.fetchers.values()) fetcher.remove(partitionKey(topic, partition));
    this.stopIdle();
  }

  async shutdown(): Promise<void> {
    for (const fetcher of this.fetchers.values()) this.stopping.add(fetcher.stop());
    this.fetchers.clear();
    await Promise.all([...this.stopping]);
  }

  private fetcherFor(leaderId: number): ReplicaFetcher {
    let fetcher = this.fetchers.get(leaderId);
    if (!fetcher) {
      fetcher = new ReplicaFetcher(leaderId, () => this.endpointOf(leaderId), this.settings, this.clock, this.log);
      this.fetchers.set(leaderId, fetcher);
    }
    return fetcher;
  }

  private stopIdle(): void {
    for (const [leaderId, fetcher] of this.fetchers) {
      if (fetcher.size > 0) continue;
      this.fetchers.delete(leaderId);
      const stopped = fetcher.stop().finally(() => this.stopping.delete(stopped));
      this.stopping.add(stopped);
    }
  }
}
