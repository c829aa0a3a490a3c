// This broker's part in replication (Kafka's ReplicaManager), for every partition it is a replica
// of: as leader, the follower progress, ISR and high watermark (LeaderPartition), where acks=all
// produces wait; as follower, a fetcher following the leader. Roles follow the cluster view. The
// leader drops followers lagging more than replica.lag.time.max.ms from the ISR, takes them back
// once they caught up, and writes each change through the cluster.

import { ErrorCode, KafkaError } from '../../protocol';
import { Cluster } from '../cluster/cluster';
import { PartitionInfo } from '../cluster/topic';
import { BrokerConfig } from '../config';
import type { LogManager } from '../log/log-manager';
import type { PartitionLog } from '../log/partition-log';
import { Logger } from '../logger';
import { FollowTarget, ReplicaFetcherManager } from './fetcher-manager';
import { LeaderPartition } from './leader-partition';
import { Endpoint, partitionKey } from './replica-fetcher';

export interface ReplicaManagerOptions {
  config: BrokerConfig;
  cluster: Cluster;
  logs: LogManager;
  log: Logger;
}

export class ReplicaManager {
  private readonly leaders = new Map<string, LeaderPartition>();
  private readonly fetchers: ReplicaFetcherManager;
  private readonly isrCheck: NodeJS.Timeout;
  private readonly config: BrokerConfig;
  private readonly cluster: Cluster;
  private readonly logs: LogManager;
  private readonly log: Logger;

  constructor({ config, cluster, logs, log }: ReplicaManagerOptions) {
    this.config = config;
    this.cluster = cluster;
    this.logs = logs;
    this.log = log;
    this.fetchers = new ReplicaFetcherManager(
      (id) => this.endpointOf(id),
      {
        brokerId: cluster.brokerId,
        brokerEpoch: () => cluster.brokerEpoch(),
        maxWaitMs: config.replicaFetchWaitMaxMs,
        minBytes: config.replicaFetchMinBytes,
        maxBytes: config.replicaFetchResponseMaxBytes,
        partitionMaxBytes: config.replicaFetchMaxBytes,
        backoffMs: config.replicaFetchBackoffMs,
        socketTimeoutMs: config.replicaSocketTimeoutMs,
      },
      log,
    );
    // Kafka checks every half lag time: a stuck follower is out after 1 to 1.5 times the lag time.
    this.isrCheck = setInterval(() => this.shrinkIsrs(), Math.max(1, Math.floor(config.replicaLagTimeMaxMs / 2)));
    this.isrCheck.unref();
  }

  private get brokerId(): number {
    return this.cluster.brokerId;
  }

  /** Brings roles in line with the cluster view: lead what it says this broker leads, follow the rest. */
  sync(): void {
    const now = Date.now();
    const led = new Set<string>();
    const followed: FollowTarget[] = [];
    for (const topic of this.cluster.topics.list()) {
      topic.partitions.forEach((p, partition) => {
        const log = this.logs.get(topic.name, partition);
        if (!log || !p.replicas.includes(this.brokerId)) return;
        log.initHighWatermark();
        if (p.leader === this.brokerId) {
          led.add(partitionKey(topic.name, partition));
          this.lead(p, log, now);
        } else if (p.leader >= 0) {
          followed.push({ topic: topic.name, topicId: topic.id, partition, leaderId: p.leader, leaderEpoch: p.leaderEpoch, log });
        }
      });
    }
    for (const [key, leader] of this.leaders) {
      if (led.has(key)) continue;
      leader.close();
      this.leaders.delete(key);
      this.log.info(`${this.partitionPrefix(leader.log)}No longer the leader (leader epoch ${leader.leaderEpoch})`);
    }
    this.fetchers.follow(followed);
  }

  /** StopReplica: no more fetching for the partition until the cluster view makes it a follower again. */
  stopFetching(topic: string, partition: number): void {
    this.fetchers.unfollow(topic, partition);
  }

  /** acks=all: NOT_ENOUGH_REPLICAS, before appending, while the ISR is smaller than min.insync.replicas. */
  checkEnoughReplicas(topic: string, partition: number): void {
    const leader = this.leaderOrThrow(topic, partition);
    const minIsr = this.minInsyncReplicas(topic);
    if (leader.isr.length < minIsr) {
      throw new KafkaError(
        ErrorCode.NOT_ENOUGH_REPLICAS,
        `The size of the current ISR Set(${leader.isr.join(', ')}) is insufficient to satisfy the min.isr requirement of ${minIsr} for partition ${topic}-${partition}`,
      );
    }
  }

  /** acks=all: resolves once the high watermark passed `offset`, with the error the partition gets, if any. */
  async waitForReplication(topic: string, partition: number, offset: number, timeoutMs: number): Promise<KafkaError | null> {
    const leader = this.leaderOf(topic, partition);
    if (!leader) return new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, 'Leadership moved before the records were replicated.');
    const outcome = await leader.waitForHighWatermark(offset, timeoutMs);
    if (outcome === 'resigned') return new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, 'Leadership moved before the records were replicated.');
    if (outcome === 'timeout') return new KafkaError(ErrorCode.REQUEST_TIMED_OUT, `Records were not replicated to the ISR within ${timeoutMs} ms.`);
    const minIsr = this.minInsyncReplicas(topic);
    if (leader.isr.length < minIsr) {
      return new KafkaError(
        ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
        `The ISR of ${topic}-${partition} shrank below min.insync.replicas ${minIsr} after the records were appended.`,
      );
    }
    return null;
  }

  /** A follower fetched from `fetchOffset`, its log end, when the leader's ended at `leaderEndOffset`. */
  followerFetched(topic: string, partition: number, replicaId: number, fetchOffset: number, leaderEndOffset: number): void {
    const leader = this.leaderOf(topic, partition);
    if (!leader) return;
    const expanded = leader.followerFetched(replicaId, fetchOffset, leaderEndOffset, Date.now());
    if (expanded) this.changeIsr(leader, expanded, `Expanding ISR from ${leader.isr.join(',')} to ${expanded.join(',')}`);
  }

  async shutdown(): Promise<void> {
    clearInterval(this.isrCheck);
    for (const leader of this.leaders.values()) leader.close();
    this.leaders.clear();
    await this.fetchers.shutdown();
  }

  /** The topic's min.insync.replicas, else the broker's. */
  private minInsyncReplicas(topic: string): number {
    const own = Number(this.cluster.topics.get(topic)?.configs['min.insync.replicas']);
    return Number.isInteger(own) && own > 0 ? own : this.config.minInsyncReplicas;
  }

  private leaderOrThrow(topic: string, partition: number): LeaderPartition {
    const leader = this.leaderOf(topic, partition);
    if (!leader) throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, 'This server is not the leader for that topic-partition.');
    return leader;
  }

  /** The leader state of a partition the view says this broker leads, set up now if the view got there first. */
  private leaderOf(topic: string, partition: number): LeaderPartition | undefined {
    const p = this.cluster.topics.get(topic)?.partitions[partition];
    const log = this.logs.get(topic, partition);
    if (!p || !log || p.leader !== this.brokerId) return undefined;
    const existing = this.leaders.get(partitionKey(topic, partition));
    if (existing?.log === log && existing.leaderEpoch === p.leaderEpoch) return existing;
    log.initHighWatermark();
    return this.lead(p, log, Date.now());
  }

  private lead(p: PartitionInfo, log: PartitionLog, now: number): LeaderPartition {
    const key = partitionKey(log.topic, log.partition);
    const existing = this.leaders.get(key);
    if (existing?.log === log) {
      existing.update(p.leaderEpoch, p.replicas, p.isr, now);
      return existing;
    }
    existing?.close();
    this.fetchers.unfollow(log.topic, log.partition);
    const leader = new LeaderPartition(log, this.brokerId, p.leaderEpoch, p.replicas, p.isr, now);
    this.leaders.set(key, leader);
    this.log.info(
      `${this.partitionPrefix(log)}Leading at epoch ${p.leaderEpoch} from offset ${log.logEndOffset} with high watermark ${log.highWatermark} and ISR ${p.isr.join(',')}`,
    );
    return leader;
  }

  private shrinkIsrs(): void {
    const now = Date.now();
    for (const leader of this.leaders.values()) {
      if (leader.isrChangePending) continue;
      const out = leader.outOfSyncReplicas(now, this.config.replicaLagTimeMaxMs);
      if (out.length === 0) continue;
      const isr = leader.isr.filter((id) => !out.includes(id));
      const lagging = out.map((id) => `(brokerId: ${id}, endOffset: ${leader.followerLogEnd(id)})`).join(', ');
      const { log } = leader;
      this.changeIsr(
        leader,
        isr,
        `Shrinking ISR from ${leader.isr.join(',')} to ${isr.join(',')}. Leader: (highWatermark: ${log.highWatermark}, endOffset: ${log.logEndOffset}). Out of sync replicas: ${lagging}.`,
      );
    }
  }

  /** One ISR change at a time per partition, written through the cluster. */
  private changeIsr(leader: LeaderPartition, isr: number[], why: string): void {
    const { topic, partition } = leader.log;
    const prefix = this.partitionPrefix(leader.log);
    leader.beginIsrChange(isr);
    this.log.info(`${prefix}${why}`);
    this.cluster.updateIsr(topic, partition, leader.leaderEpoch, isr).then(
      (written) => {
        leader.endIsrChange(written);
        if (written) this.log.info(`${prefix}ISR updated to ${isr.join(',')}`);
        else this.log.info(`${prefix}ISR change to ${isr.join(',')} not written: the partition state moved on`);
      },
      (err: Error) => {
        leader.endIsrChange(false);
        this.log.warn(`${prefix}Writing the ISR change to ${isr.join(',')} failed: ${err.message}`);
      },
    );
  }

  private endpointOf(brokerId: number): Endpoint | null {
    const broker = this.cluster.liveBrokers().find((b) => b.id === brokerId);
    const endpoint = broker?.endpoints.find((e) => e.listener === this.config.interBrokerListenerName);
    return endpoint ? { host: endpoint.host, port: endpoint.port } : null;
  }

  private partitionPrefix(log: PartitionLog): string {
    return `[Partition ${log.topic}-${log.partition} broker=${this.brokerId}] `;
  }
}
