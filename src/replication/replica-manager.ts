// This broker's part in replication (Kafka's ReplicaManager), for every partition it is a replica
// of: as leader, the follower progress, ISR and high watermark (LeaderPartition), where acks=all
// produces wait; as follower, a fetcher following the leader. Roles follow the cluster view. The
// leader drops followers lagging more than replica.lag.time.max.ms from the ISR, takes them back
// once they caught up, and writes each change through the cluster.

import type { BrokerConnector } from '../client/broker-connector';
import { ErrorCode, KafkaError } from '../../protocol';
import { Clock, Timer } from '../clock';
import { Cluster } from '../cluster/cluster';
import { PartitionChange } from '../cluster/cluster-delta';
import { PartitionInfo } from '../cluster/topic';
import { BrokerConfig } from '../config';
import type { FollowerLag } from '../control/follower-lag';
import type { LogManager } from '../log/log-manager';
import type { PartitionLog } from '../log/partition-log';
import { Logger } from '../logger';
import { ReplicaFetcherManager } from './fetcher-manager';
import { LogDirMover } from './log-dir-mover';
import { LeaderPartition } from './leader-partition';
import type { FollowerReplicationQuota } from './replication-quotas';
import { Endpoint, partitionKey } from './replica-fetcher';
import { ClientMetadata, ReplicaSelector, findPreferredReadReplica, replicaSelectorOf } from './replica-selector';

/** What Produce, Fetch and StopReplica ask of replication. */
export interface Replication {
  checkEnoughReplicas(topic: string, partition: number): void;
  /** Resolves once the high watermark reached `endOffset` (exclusive), with the error the partition gets, if any. */
  waitForReplication(topic: string, partition: number, endOffset: number, timeoutMs: number): Promise<KafkaError | null>;
  /** A follower's fetch: its log end (fetchOffset) and, from Fetch v5, its log start (-1 when not given). */
  followerFetched(topic: string, partition: number, replicaId: number, fetchOffset: number, leaderEndOffset: number, logStartOffset?: number): void;
  /**
   * DeleteRecords as the leader: moves the log start to `offset` (-1: the high watermark), then waits
   * up to `timeoutMs` for every live replica's log start to follow; resolves to the low watermark.
   * Throws (or rejects with) KafkaError: NOT_LEADER_OR_FOLLOWER, OFFSET_OUT_OF_RANGE,
   * POLICY_VIOLATION, REQUEST_TIMED_OUT.
   */
  deleteRecords(topic: string, partition: number, offset: number, timeoutMs: number): Promise<number>;
  /** StopReplica: no more fetching for the partition until this broker leads it or stops being (and is again) a replica. */
  stopFetching(topic: string, partition: number): void;
  /** AlterReplicaLogDirs for one partition: starts (or redirects, or cancels) its move to `dir`; the error code. */
  alterReplicaLogDir(topic: string, partition: number, dir: string): number;
  /**
   * KIP-392, for a consumer's fetch (v11+) from this leader: the follower replica.selector.class
   * prefers for it, or -1 (no selector, not the leader here, or the leader is preferred).
   */
  preferredReadReplica(topic: string, partition: number, client: ClientMetadata, fetchOffset: number): number;
}

export interface ReplicaManagerOptions {
  config: BrokerConfig;
  cluster: Cluster;
  logs: LogManager;
  log: Logger;
  clock: Clock;
  /** The follower side of the replication throttles. */
  followerQuota?: FollowerReplicationQuota;
  /** Partitions held some records behind their leader (the FollowerLag test control). */
  followerLag?: FollowerLag;
  /** Opens fetchers' connections on the inter-broker listener's security protocol. */
  connect: BrokerConnector;
}

export class ReplicaManager implements Replication {
  private readonly leaders = new Map<string, LeaderPartition>();
  /** Partitions StopReplica stopped: not followed again until this broker leads them or stops being a replica. */
  private readonly stopped = new Set<string>();
  private inControlledShutdown = false;
  private readonly fetchers: ReplicaFetcherManager;
  private readonly mover: LogDirMover;
  private readonly isrCheck: Timer;
  private readonly config: BrokerConfig;
  private readonly cluster: Cluster;
  private readonly logs: LogManager;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly selector: ReplicaSelector | null;
  /** ISR changes this leader wrote (Kafka's IsrShrinksPerSec and IsrExpandsPerSec). */
  isrShrinks = 0;
  isrExpands = 0;

  constructor({ config, cluster, logs, log, clock, followerQuota, followerLag, connect }: ReplicaManagerOptions) {
    this.config = config;
    this.cluster = cluster;
    this.logs = logs;
    this.log = log;
    this.clock = clock;
    this.selector = replicaSelectorOf(config.replicaSelectorClass);
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
        quota: followerQuota,
        lag: followerLag,
        connect,
      },
      clock,
      log,
    );
    this.mover = new LogDirMover({
      logs,
      clock,
      log,
      partitionExists: (topic, partition) => cluster.topics.get(topic)?.partitions[partition] !== undefined,
      chunkBytes: config.replicaFetchMaxBytes,
    });
    // Kafka checks every half lag time: a stuck follower is out after 1 to 1.5 times the lag time.
    this.isrCheck = clock.setInterval(() => this.shrinkIsrs(), Math.max(1, Math.floor(config.replicaLagTimeMaxMs / 2)));
  }

  private get brokerId(): number {
    return this.cluster.brokerId;
  }

  /**
   * Brings the roles of the partitions that changed in line with the cluster view: lead what it
   * says this broker leads, follow what another broker leads, let go of the rest.
   */
  apply(changes: readonly PartitionChange[]): void {
    for (const { topic, partition, after } of changes) {
      const log = this.logs.get(topic, partition);
      const mine = after !== null && log !== undefined && after.replicas.includes(this.brokerId);
      if (!mine || after.leader !== this.brokerId) this.resign(topic, partition);
      if (!mine) {
        this.fetchers.unfollow(topic, partition);
        this.stopped.delete(partitionKey(topic, partition));
        continue;
      }
      log.initHighWatermark();
      // A move into another log dir found at startup goes on (Kafka: on LeaderAndIsr).
      this.mover.resume(topic, partition);
      if (after.leader === this.brokerId) {
        this.stopped.delete(partitionKey(topic, partition));
        this.lead(after, log);
      } else if (this.stopped.has(partitionKey(topic, partition)) || this.inControlledShutdown) {
        // Stopped by the controller, or this broker is leaving: it must not rejoin an ISR.
        continue;
      } else if (after.leader >= 0) {
        const topicId = this.cluster.topics.get(topic)?.id ?? '';
        this.fetchers.followOne({ topic, topicId, partition, leaderId: after.leader, leaderEpoch: after.leaderEpoch, log });
      } else this.fetchers.unfollow(topic, partition);
    }
  }

  private resign(topic: string, partition: number): void {
    const key = partitionKey(topic, partition);
    const leader = this.leaders.get(key);
    if (!leader) return;
    leader.close();
    this.leaders.delete(key);
    this.log.info(`${this.partitionPrefix(leader.log)}No longer the leader (leader epoch ${leader.leaderEpoch})`);
  }

  stopFetching(topic: string, partition: number): void {
    this.stopped.add(partitionKey(topic, partition));
    this.fetchers.unfollow(topic, partition);
  }

  /**
   * Controlled shutdown began: no partition is followed anew, so a leader never takes this broker
   * back into its ISR. (Kafka's controller refuses such an ISR change; here leaders write the ISR
   * to ZooKeeper themselves, so the stopping broker keeps out of it.)
   */
  beginControlledShutdown(): void {
    this.inControlledShutdown = true;
  }

  alterReplicaLogDir(topic: string, partition: number, dir: string): number {
    return this.mover.alterReplicaLogDir(topic, partition, dir);
  }

  /** A future log took the place of the current one: the leader or follower role goes on with the new log. */
  logReplaced(topic: string, partition: number): void {
    const p = this.cluster.topics.get(topic)?.partitions[partition];
    if (p) this.apply([{ topic, partition, before: p, after: p }]);
  }

  /** Kafka's handleLogDirFailure: no fetching and no leading for the partitions whose logs went offline. */
  logsOffline(partitions: readonly { topic: string; partition: number }[]): void {
    for (const { topic, partition } of partitions) {
      this.fetchers.unfollow(topic, partition);
      this.resign(topic, partition);
    }
  }

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

  async waitForReplication(topic: string, partition: number, endOffset: number, timeoutMs: number): Promise<KafkaError | null> {
    const leader = this.leaderOf(topic, partition);
    if (!leader) return new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, 'Leadership moved before the records were replicated.');
    const outcome = await leader.waitForHighWatermark(endOffset, timeoutMs);
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

  followerFetched(topic: string, partition: number, replicaId: number, fetchOffset: number, leaderEndOffset: number, logStartOffset = -1): void {
    const leader = this.leaderOf(topic, partition);
    if (!leader) return;
    const expanded = leader.followerFetched(replicaId, fetchOffset, leaderEndOffset, logStartOffset);
    // Partition.isReplicaIsrEligible in ZooKeeper mode: the follower's broker must be alive.
    if (expanded && this.isAlive(replicaId)) this.changeIsr(leader, expanded, `Expanding ISR from ${leader.isr.join(',')} to ${expanded.join(',')}`);
  }

  preferredReadReplica(topic: string, partition: number, client: ClientMetadata, fetchOffset: number): number {
    const leader = this.selector && this.leaderOf(topic, partition);
    if (!this.selector || !leader) return -1;
    const replicas = this.cluster.topics.get(topic)?.partitions[partition]?.replicas ?? [];
    const reachable = new Map<number, string | null>();
    for (const b of this.cluster.liveBrokers()) {
      if (replicas.includes(b.id) && b.endpoints.some((e) => e.listener === client.listenerName)) reachable.set(b.id, b.rack);
    }
    return findPreferredReadReplica(this.selector, client, {
      leaderId: this.brokerId,
      leaderLogEndOffset: leader.log.logEndOffset,
      inSyncFollowers: leader.inSyncFollowers(),
      reachable,
      fetchOffset,
      now: this.clock.now(),
    });
  }

  async deleteRecords(topic: string, partition: number, offset: number, timeoutMs: number): Promise<number> {
    const leader = this.leaderOf(topic, partition);
    if (!leader) throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, 'This server is not the leader for that topic-partition.');
    const { log } = leader;
    const policy = log.config.cleanupPolicy;
    if (policy.includes('compact') && !policy.includes('delete')) {
      throw new KafkaError(ErrorCode.POLICY_VIOLATION, `Records of partition ${topic}-${partition} can not be deleted due to the configured policy`);
    }
    const target = offset === -1 ? log.highWatermark : offset;
    log.deleteRecordsBefore(target);
    const outcome = await leader.waitForLowWatermark(target, timeoutMs);
    if (outcome === 'resigned') throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, 'Leadership moved before the replicas deleted the records.');
    if (outcome === 'timeout') throw new KafkaError(ErrorCode.REQUEST_TIMED_OUT, `The replicas did not move their log start to ${target} within ${timeoutMs} ms.`);
    return leader.lowWatermark();
  }

  async shutdown(): Promise<void> {
    this.isrCheck.cancel();
    for (const leader of this.leaders.values()) leader.close();
    this.leaders.clear();
    await this.fetchers.shutdown();
    await this.mover.shutdown();
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
    return this.lead(p, log);
  }

  private lead(p: PartitionInfo, log: PartitionLog): LeaderPartition {
    const key = partitionKey(log.topic, log.partition);
    const existing = this.leaders.get(key);
    if (existing?.log === log) {
      existing.update(p.leaderEpoch, p.replicas, p.isr);
      return existing;
    }
    existing?.close();
    this.fetchers.unfollow(log.topic, log.partition);
    const leader = new LeaderPartition(log, this.brokerId, p.leaderEpoch, p.replicas, p.isr, this.clock, (id) => this.isAlive(id));
    this.leaders.set(key, leader);
    this.log.info(
      `${this.partitionPrefix(log)}Leading at epoch ${p.leaderEpoch} from offset ${log.logEndOffset} with high watermark ${log.highWatermark} and ISR ${p.isr.join(',')}`,
    );
    return leader;
  }

  private shrinkIsrs(): void {
    for (const leader of this.leaders.values()) {
      if (leader.isrChangePending) continue;
      const out = leader.outOfSyncReplicas(this.config.replicaLagTimeMaxMs);
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
    const shrinks = isr.length < leader.isr.length;
    leader.beginIsrChange(isr);
    this.log.info(`${prefix}${why}`);
    this.cluster.updateIsr(topic, partition, leader.leaderEpoch, isr).then(
      (written) => {
        leader.endIsrChange(written);
        if (written && shrinks) this.isrShrinks++;
        else if (written) this.isrExpands++;
        if (written) this.log.info(`${prefix}ISR updated to ${isr.join(',')}`);
        else this.log.info(`${prefix}ISR change to ${isr.join(',')} not written: the partition state moved on`);
      },
      (err: Error) => {
        leader.endIsrChange(false);
        this.log.warn(`${prefix}Writing the ISR change to ${isr.join(',')} failed: ${err.message}`);
      },
    );
  }

  private isAlive(brokerId: number): boolean {
    return this.cluster.liveBrokers().some((b) => b.id === brokerId);
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
