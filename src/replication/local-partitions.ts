// The partitions this broker holds, as request handlers reach them: the log of a partition it
// leads (or the error a client gets instead), and the leader epoch with KIP-320 fencing. A log
// carries its topic's effective config (`log.config`), kept current by the log manager.

import { ErrorCode, KafkaError } from '../../protocol';
import { TopicView } from '../cluster/cluster';
import type { PartitionLog } from '../log/partition-log';

export interface Partitions {
  /** The log of a partition this broker leads; UNKNOWN_TOPIC_OR_PARTITION or NOT_LEADER_OR_FOLLOWER otherwise. */
  leaderLog(topic: string, partition: number): PartitionLog;
  /** This broker's replica of a partition, leader or follower; UNKNOWN_TOPIC_OR_PARTITION or NOT_LEADER_OR_FOLLOWER otherwise. */
  replicaLog(topic: string, partition: number): PartitionLog;
  /** The partition's leader epoch in the cluster view, -1 when unknown. */
  leaderEpoch(topic: string, partition: number): number;
  /** KIP-320 fencing: a client's view of the leader epoch must match ours (-1 skips the check). */
  checkLeaderEpoch(topic: string, partition: number, clientEpoch: number): void;
}

export interface LocalLogs {
  get(topic: string, partition: number): PartitionLog | undefined;
  /** The partition's log was in a log dir that went offline. */
  isOffline(topic: string, partition: number): boolean;
}

export class LocalPartitions implements Partitions {
  constructor(
    private readonly brokerId: number,
    private readonly topics: TopicView,
    private readonly logs: LocalLogs,
  ) {}

  leaderLog(topic: string, partition: number): PartitionLog {
    const info = this.partitionInfo(topic, partition);
    if (this.logs.isOffline(topic, partition)) throw this.noLog(topic, partition, '');
    if (info.leader !== this.brokerId) {
      throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, 'This server is not the leader for that topic-partition.');
    }
    const log = this.logs.get(topic, partition);
    if (!log) throw this.noLog(topic, partition, 'This server has no log for that topic-partition.');
    return log;
  }

  replicaLog(topic: string, partition: number): PartitionLog {
    this.partitionInfo(topic, partition);
    const log = this.logs.get(topic, partition);
    if (!log) throw this.noLog(topic, partition, 'This server does not host a replica of that topic-partition.');
    return log;
  }

  /** Kafka's HostedPartition.Offline answers KAFKA_STORAGE_ERROR; no replica here, NOT_LEADER_OR_FOLLOWER. */
  private noLog(topic: string, partition: number, message: string): KafkaError {
    if (this.logs.isOffline(topic, partition)) return new KafkaError(ErrorCode.KAFKA_STORAGE_ERROR, `Partition ${topic}-${partition} is in an offline log directory`);
    return new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, message);
  }

  private partitionInfo(topic: string, partition: number) {
    const p = this.topics.get(topic)?.partitions[partition];
    if (!p) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.');
    return p;
  }

  leaderEpoch(topic: string, partition: number): number {
    return this.topics.get(topic)?.partitions[partition]?.leaderEpoch ?? -1;
  }

  checkLeaderEpoch(topic: string, partition: number, clientEpoch: number): void {
    if (clientEpoch < 0) return;
    const ours = this.leaderEpoch(topic, partition);
    if (clientEpoch < ours) throw new KafkaError(ErrorCode.FENCED_LEADER_EPOCH, `Leader epoch ${clientEpoch} is older than ${ours}.`);
    if (clientEpoch > ours) throw new KafkaError(ErrorCode.UNKNOWN_LEADER_EPOCH, `Leader epoch ${clientEpoch} is newer than ${ours}.`);
  }
}
