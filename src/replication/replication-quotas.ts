// Replication throttles (KIP-73), as Kafka's ReplicationQuotaManager, one for the leader side and one
// for the follower side. Each has a bound in bytes/s (leader.replication.throttled.rate /
// follower.replication.throttled.rate: this broker's dynamic config, else the cluster default's,
// else unbounded, as 3.9's BrokerConfigHandler reads them), a SimpleRate sensor over
// replication.quota.window.num windows of replication.quota.window.size.seconds, and the partitions
// it throttles: those the topic's leader/follower.replication.throttled.replicas lists for this
// broker, or all with `*`, read from the cluster view's topic configs.
//
// The leader (Fetch from a follower) leaves out a throttled partition's data while its quota is
// exceeded, unless the follower is in the ISR (ReplicaManager.shouldLeaderThrottle), and records the
// bytes it sends of every throttled partition. The follower leaves a throttled partition out of its
// fetch while its quota is exceeded, unless the replica has caught up with the leader's high
// watermark (ReplicaFetcherThread.shouldFollowerThrottle), and records what it receives of every
// throttled partition. Consumer fetches are never counted or throttled here.

import type { TopicView } from '../cluster/cluster';
import type { BrokerConfigLayers } from '../cluster/config-synonyms';
import { FOLLOWER_THROTTLED_REPLICAS, LEADER_THROTTLED_REPLICAS, ThrottledPartitions, throttledPartitions } from '../cluster/throttled-replicas';
import type { Clock } from '../clock';
import type { BrokerConfig } from '../config';
import { QuotaWindow, RateSensor } from '../quotas/rate-sensor';

export const LEADER_THROTTLED_RATE = 'leader.replication.throttled.rate';
export const FOLLOWER_THROTTLED_RATE = 'follower.replication.throttled.rate';

/** Kafka's QUOTA_BYTES_PER_SECOND_DEFAULT is Long.MAX_VALUE: no bound. */
const LONG_MAX = 9223372036854775807;

/** A Fetch response's topic as the handler builds it (the name set at every version). */
interface ResponseTopic {
  topic?: string;
  partitions?: readonly { partitionIndex?: number; records?: Buffer | null }[];
}

/** What the Fetch handler asks when a follower fetches from this leader. */
export interface LeaderReplicationQuota {
  /** Whether to answer the partition without data: throttled, over the quota, the follower not in the ISR. */
  shouldThrottle(topic: string, partition: number, replicaId: number): boolean;
  /** Records the data a follower fetch response carries for throttled partitions. */
  recordResponse(topics: readonly ResponseTopic[]): void;
}

/** What a replica fetcher asks of the follower-side quota. */
export interface FollowerReplicationQuota {
  /** Whether to leave the partition out of the next fetch: throttled, over the quota, not caught up. */
  shouldThrottle(topic: string, partition: number, inSync: boolean): boolean;
  /** Records `bytes` fetched for the partition, if it is throttled. */
  recordFetched(topic: string, partition: number, bytes: number): void;
}

/** One side's quota: Kafka's ReplicationQuotaManager. */
export class ReplicationQuotaManager {
  private bound = Infinity;
  private readonly sensor: RateSensor;
  /** Each topic's parsed config value, re-parsed when the value changes. */
  private readonly parsed = new Map<string, { value: string; partitions: ThrottledPartitions }>();

  constructor(
    window: () => QuotaWindow,
    private readonly replicasConfig: string,
    private readonly brokerId: number,
    private readonly topics: TopicView,
    private readonly clock: Clock,
  ) {
    this.sensor = new RateSensor(window, true);
  }

  get upperBound(): number {
    return this.bound;
  }

  updateQuota(bound: number): void {
    this.bound = bound >= LONG_MAX ? Infinity : bound;
  }

  isQuotaExceeded(): boolean {
    return Number.isFinite(this.bound) && this.sensor.measure(this.clock.now()) > this.bound;
  }

  isThrottled(topic: string, partition: number): boolean {
    const value = this.topics.get(topic)?.configs[this.replicasConfig];
    if (!value) {
      this.parsed.delete(topic);
      return false;
    }
    let entry = this.parsed.get(topic);
    if (entry?.value !== value) {
      entry = { value, partitions: throttledPartitions(value, this.brokerId) };
      this.parsed.set(topic, entry);
    }
    return entry.partitions === 'all' || entry.partitions.has(partition);
  }

  record(bytes: number): void {
    this.sensor.record(bytes, this.clock.now());
  }

  /** Per second over the sensor's window. */
  rate(): number {
    return this.sensor.measure(this.clock.now());
  }
}

/** Both sides' quotas of this broker, their rates following the dynamic broker configs. */
export class ReplicationQuotas {
  readonly leader: ReplicationQuotaManager;
  readonly follower: ReplicationQuotaManager;
  readonly forLeader: LeaderReplicationQuota;
  readonly forFollower: FollowerReplicationQuota;

  constructor(config: Pick<BrokerConfig, 'replicationQuotaWindowNum' | 'replicationQuotaWindowSizeSeconds'>, brokerId: number, topics: TopicView, clock: Clock) {
    const window = (): QuotaWindow => ({ samples: config.replicationQuotaWindowNum, windowMs: config.replicationQuotaWindowSizeSeconds * 1000 });
    const leader = (this.leader = new ReplicationQuotaManager(window, LEADER_THROTTLED_REPLICAS, brokerId, topics, clock));
    const follower = (this.follower = new ReplicationQuotaManager(window, FOLLOWER_THROTTLED_REPLICAS, brokerId, topics, clock));
    this.forLeader = {
      shouldThrottle: (topic, partition, replicaId) =>
        leader.isThrottled(topic, partition) && !topics.get(topic)?.partitions[partition]?.isr.includes(replicaId) && leader.isQuotaExceeded(),
      recordResponse: (responseTopics) => {
        let bytes = 0;
        for (const t of responseTopics) {
          for (const p of t.partitions ?? []) {
            if (t.topic && p.records && p.records.length > 0 && leader.isThrottled(t.topic, p.partitionIndex ?? -1)) bytes += p.records.length;
          }
        }
        if (bytes > 0) leader.record(bytes);
      },
    };
    this.forFollower = {
      shouldThrottle: (topic, partition, inSync) => !inSync && follower.isThrottled(topic, partition) && follower.isQuotaExceeded(),
      recordFetched: (topic, partition, bytes) => {
        if (bytes > 0 && follower.isThrottled(topic, partition)) follower.record(bytes);
      },
    };
  }

  /** The rates in effect: this broker's dynamic config, else the cluster default's, else none. */
  updateRates(layers: BrokerConfigLayers): void {
    const rate = (key: string) => Number(layers.dynamicBroker[key] ?? layers.dynamicDefault[key] ?? LONG_MAX);
    this.leader.updateQuota(rate(LEADER_THROTTLED_RATE));
    this.follower.updateQuota(rate(FOLLOWER_THROTTLED_RATE));
  }
}
