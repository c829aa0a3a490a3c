// A cluster of one: this broker leads every partition, the controller is itself, and topic metadata
// and dynamic configs live in its first log dir. Broker id and cluster id come from meta.properties, or are generated
// on first start (broker id as Kafka generates it: above reserved.broker.max.id).

import { BrokerConfig } from '../config';
import { ErrorCode, KafkaError } from '../../protocol';
import { BrokerInfo, Cluster, ElectionResult, PartitionReassignment, ReassignmentRequest, ReassignmentResult, StoredIdentity } from './cluster';
import { DeltaListener } from './cluster-delta';
import { StandaloneEntityConfigs } from './standalone-entity-configs';
import { FileFeatures } from './file-features';
import { randomUuid, TopicInfo, TopicPartition } from './topic';
import { StandaloneTopicStore } from './topic-store';

export class StandaloneCluster implements Cluster {
  readonly topics: StandaloneTopicStore;
  readonly entityConfigs: StandaloneEntityConfigs;
  readonly features: FileFeatures;
  private self: BrokerInfo;
  private readonly listeners: DeltaListener[] = [];

  constructor(
    config: BrokerConfig,
    stored: StoredIdentity,
    readonly brokerId = config.brokerId >= 0 ? config.brokerId : stored.brokerId ?? config.reservedBrokerMaxId + 1,
    readonly clusterId = stored.clusterId ?? randomUuid(),
  ) {
    this.topics = new StandaloneTopicStore(config.logDirs[0]);
    this.entityConfigs = new StandaloneEntityConfigs(config.logDirs[0]);
    this.features = new FileFeatures(config.logDirs[0]);
    this.self = { id: this.brokerId, endpoints: [], rack: config.brokerRack };
  }

  async register(self: BrokerInfo): Promise<void> {
    this.self = self;
    await this.flush();
  }

  liveBrokers(): BrokerInfo[] {
    return [this.self];
  }

  controllerId(): number {
    return this.brokerId;
  }

  async createTopic(topic: TopicInfo): Promise<void> {
    this.topics.put(topic);
    await this.flush();
  }

  async deleteTopic(name: string): Promise<void> {
    this.topics.remove(name);
    await this.flush();
  }

  /** This broker leads every added partition at once, as it leads every other. */
  async addPartitions(name: string, replicas: number[][]): Promise<void> {
    const topic = this.topics.get(name);
    if (!topic) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${name}' does not exist.`);
    const added = replicas.map((r) => ({ replicas: r, leader: r[0], leaderEpoch: 0, isr: [...r] }));
    this.topics.put({ ...topic, partitions: [...topic.partitions, ...added] });
    await this.flush();
  }

  async topicExists(name: string): Promise<boolean> {
    return this.topics.get(name) !== undefined;
  }

  async setTopicConfigs(name: string, configs: Record<string, string>): Promise<void> {
    const topic = this.topics.get(name);
    if (!topic) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${name}' does not exist.`);
    this.topics.put({ ...topic, configs });
    await this.flush();
  }

  async setEntityConfigs(entityPath: string, configs: Record<string, string>): Promise<void> {
    this.entityConfigs.put(entityPath, configs);
    await this.flush();
  }

  brokerEpoch(): bigint {
    return -1n;
  }

  /** Nothing to move: this broker is the only replica of everything. */
  async controlledShutdown(): Promise<TopicPartition[]> {
    return [];
  }

  /** Every partition is led by its only, preferred replica. */
  async electLeaders(_type: number, partitions: TopicPartition[] | null): Promise<ElectionResult[]> {
    const all = partitions ?? this.topics.list().flatMap((t) => t.partitions.map((_, partition) => ({ topic: t.name, partition })));
    return all.map((tp) =>
      this.topics.get(tp.topic)?.partitions[tp.partition]
        ? { ...tp, errorCode: ErrorCode.ELECTION_NOT_NEEDED, errorMessage: 'Leader election not needed for topic partition.' }
        : { ...tp, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'The partition does not exist.' },
    );
  }

  /** A single broker cannot move replicas: only its own assignment, [self], is accepted (and changes nothing). */
  async alterPartitionReassignments(requests: ReassignmentRequest[]): Promise<ReassignmentResult[]> {
    return requests.map(({ topic, partition, replicas }) => {
      const result = (errorCode: number, errorMessage: string | null = null) => ({ topic, partition, errorCode, errorMessage });
      if (!this.topics.get(topic)?.partitions[partition]) return result(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'The partition does not exist.');
      if (replicas === null) return result(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, 'No partition reassignment is in progress for this topic-partition.');
      if (replicas.length === 1 && replicas[0] === this.brokerId) return result(ErrorCode.NONE);
      return result(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Replica assignment has brokers that are not alive. Replica list: [${replicas}], live broker list: [${this.brokerId}]`);
    });
  }

  async listPartitionReassignments(): Promise<PartitionReassignment[]> {
    return [];
  }

  /** Standalone, partitions of an offline log dir just stay offline. */
  async propagateLogDirEvent(): Promise<void> {}

  async updateIsr(topic: string, partition: number, leaderEpoch: number, isr: number[]): Promise<boolean> {
    const info = this.topics.get(topic);
    const p = info?.partitions[partition];
    if (!info || !p || p.leader !== this.brokerId || p.leaderEpoch !== leaderEpoch) return false;
    const partitions = info.partitions.map((x, i) => (i === partition ? { ...x, isr: [...isr] } : x));
    this.topics.put({ ...info, partitions });
    await this.flush();
    return true;
  }

  onDelta(listener: DeltaListener): void {
    this.listeners.push(listener);
  }

  /** Every change here is made by this broker: listeners hear of it before the change resolves. */
  async flush(): Promise<void> {
    // Until someone listens, changes keep adding up: the first listener hears everything.
    if (this.listeners.length === 0) return;
    const delta = this.topics.changes.take(this.liveBrokers(), this.brokerId, this.entityConfigs.takeChanged());
    await Promise.all(this.listeners.map((l) => l(delta)));
  }

  async shutdown(): Promise<void> {}
}
