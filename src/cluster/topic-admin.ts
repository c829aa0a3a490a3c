// Creating and deleting topics and changing their configs (CreateTopics, DeleteTopics, auto-creation
// from Metadata, internal topics, AlterConfigs): validation as Kafka does it, the broker defaults for counts, then the cluster persists
// the topic and this broker's logs follow from the change the view reports.

import { ErrorCode, KafkaError } from '../../protocol';
import { Logger } from '../logger';
import { Cluster } from './cluster';
import { assignReplicas, validateAssignment } from './replica-assignment';
import { PartitionInfo, TopicInfo, randomUuid, validateTopicName } from './topic';
import { validateTopicConfigs } from './topic-configs';
import { ViewWaiters } from './view-waiters';

/** AdminZkClient.getBrokerMetadatas' refusal (RackAwareMode.Enforced) when only some brokers have a rack. */
const ENFORCED_MIXED_RACKS =
  'Not all brokers have rack information. Add --disable-rack-aware in command line to make replica assignment without rack information.';

export interface NewTopic {
  name: string;
  /** -1: num.partitions. */
  numPartitions: number;
  /** -1: default.replication.factor. */
  replicationFactor: number;
  assignments: { partitionIndex: number; brokerIds: number[] }[];
  configs: Record<string, string>;
}

export interface TopicAdmin {
  /** Validates and (unless validateOnly) creates a topic. KafkaError per Kafka's CreateTopics rules. */
  createTopic(req: NewTopic, validateOnly: boolean): Promise<TopicInfo>;
  /** A topic with the broker's defaults, as Metadata creates it when auto.create.topics.enable allows. */
  autoCreateTopic(name: string): Promise<TopicInfo>;
  /** Resolves once every partition of the topic has a leader, or after `timeoutMs` (Kafka's DelayedCreatePartitions). */
  waitForLeaders(name: string, timeoutMs: number): Promise<void>;
  deleteTopic(name: string): Promise<void>;
  /**
   * Validates and (unless validateOnly) replaces a topic's config overrides, as AlterConfigs and
   * IncrementalAlterConfigs do: UNKNOWN_TOPIC_OR_PARTITION, INVALID_CONFIG with Kafka's messages.
   */
  alterTopicConfigs(name: string, configs: Record<string, string>, validateOnly: boolean): Promise<void>;
  /** Whether the topic exists in the cluster (Cluster.topicExists); once true, this broker's view has it. */
  topicExists(name: string): Promise<boolean>;
  /**
   * CreatePartitions: grows a topic to `count` partitions, with the given replicas (one list per new
   * partition) or placed as Kafka places them after the existing ones. KafkaError with Kafka's
   * messages: UNKNOWN_TOPIC_OR_PARTITION, INVALID_PARTITIONS, INVALID_REPLICA_ASSIGNMENT.
   */
  createPartitions(name: string, count: number, assignments: number[][] | null, validateOnly: boolean): Promise<void>;
}

export interface TopicDefaults {
  numPartitions: number;
  defaultReplicationFactor: number;
}

export class ClusterTopicAdmin implements TopicAdmin {
  constructor(
    private readonly cluster: Pick<Cluster, 'topics' | 'liveBrokers' | 'createTopic' | 'deleteTopic' | 'setTopicConfigs' | 'topicExists' | 'addPartitions'>,
    private readonly defaults: TopicDefaults,
    private readonly view: ViewWaiters,
    private readonly log: Logger,
  ) {}

  topicExists(name: string): Promise<boolean> {
    return this.cluster.topicExists(name);
  }

  async alterTopicConfigs(name: string, configs: Record<string, string>, validateOnly: boolean): Promise<void> {
    if (!(await this.cluster.topicExists(name))) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${name}' does not exist.`);
    validateTopicConfigs(configs);
    if (validateOnly) return;
    this.log.info(`Updating topic ${name} with new configuration : ${Object.entries(configs).map(([k, v]) => `${k}=${v}`).join(',')}`);
    await this.cluster.setTopicConfigs(name, configs);
  }

  async createPartitions(name: string, count: number, assignments: number[][] | null, validateOnly: boolean): Promise<void> {
    const live = [...this.cluster.liveBrokers()].sort((a, b) => a.id - b.id);
    // AdminZkClient.getBrokerMetadatas in RackAwareMode.Enforced, before anything else.
    const withRack = live.filter((b) => b.rack !== null).length;
    if (withRack > 0 && withRack < live.length) throw new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, ENFORCED_MIXED_RACKS);
    const topic = this.cluster.topics.get(name);
    if (!topic) throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${name}' does not exist.`);
    const existing = topic.partitions.length;
    if (count === existing) throw new KafkaError(ErrorCode.INVALID_PARTITIONS, `Topic already has ${existing} partitions.`);
    if (count < existing) throw new KafkaError(ErrorCode.INVALID_PARTITIONS, `Topic currently has ${existing} partitions, which is higher than the requested ${count}.`);
    const brokers = live.map((b) => b.id);
    const added = count - existing;
    const first = topic.partitions[0].replicas;
    let replicas: number[][];
    if (assignments) {
      const unknown = [...new Set(assignments.flat())].filter((b) => !brokers.includes(b));
      const bad = (why: string) => new KafkaError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, why);
      if (unknown.length > 0) throw bad(`Unknown broker(s) in replica assignment: ${unknown.join(', ')}.`);
      if (assignments.length !== added) throw bad(`Increasing the number of partitions by ${added} but ${assignments.length} assignments provided.`);
      assignments.forEach((r, i) => {
        if (r.length === 0) throw bad(`Cannot have replication factor of 0 for partition id ${existing + i}.`);
        if (new Set(r).size !== r.length) throw bad(`Duplicate brokers not allowed in replica assignment: ${r.join(', ')} for partition id ${existing + i}.`);
      });
      const odd = assignments.map((r, i) => [existing + i, r.length]).filter(([, rf]) => rf !== first.length);
      if (odd.length > 0) {
        throw bad(
          `Inconsistent replication factor between partitions, partition 0 has ${first.length} while partitions [${odd.map(([p]) => p).join(', ')}] have replication factors [${odd.map(([, rf]) => rf).join(', ')}], respectively.`,
        );
      }
      replicas = assignments;
    } else {
      // Kafka continues the placement from the broker holding partition 0's first replica: its index
      // among the brokers by id, also when that index then walks the rack-alternated list.
      const startIndex = Math.max(0, brokers.findIndex((b) => b >= first[0]));
      replicas = assignReplicas(live, added, first.length, undefined, { startIndex, startPartitionId: existing });
    }
    if (validateOnly) return;
    this.log.info(`Creating ${added} partitions for '${name}' with the following replica assignment: ${replicas.map((r, i) => `${existing + i} -> ${r.join(',')}`).join('; ')}.`);
    await this.cluster.addPartitions(name, replicas);
  }

  autoCreateTopic(name: string): Promise<TopicInfo> {
    return this.createTopic({ name, numPartitions: -1, replicationFactor: -1, assignments: [], configs: {} }, false);
  }

  async createTopic(req: NewTopic, validateOnly: boolean): Promise<TopicInfo> {
    validateTopicName(req.name);
    if (this.cluster.topics.get(req.name)) throw new KafkaError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${req.name}' already exists.`);
    const live = this.cluster.liveBrokers();
    let replicas: number[][];
    if (req.assignments.length > 0) {
      if (req.numPartitions !== -1 || req.replicationFactor !== -1) {
        throw new KafkaError(ErrorCode.INVALID_REQUEST, 'Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.');
      }
      replicas = validateAssignment(req.assignments, live.map((b) => b.id));
    } else {
      const partitions = req.numPartitions === -1 ? this.defaults.numPartitions : req.numPartitions;
      const rf = req.replicationFactor === -1 ? this.defaults.defaultReplicationFactor : req.replicationFactor;
      if (partitions <= 0) throw new KafkaError(ErrorCode.INVALID_PARTITIONS, 'Number of partitions was set to an invalid non-positive value.');
      if (rf <= 0) throw new KafkaError(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0.');
      replicas = assignReplicas(live, partitions, rf);
    }
    validateTopicConfigs(req.configs);
    const partitions: PartitionInfo[] = replicas.map((r) => ({ replicas: r, leader: r[0], leaderEpoch: 0, isr: [...r] }));
    const topic: TopicInfo = { name: req.name, id: randomUuid(), partitions, configs: { ...req.configs } };
    if (validateOnly) return topic;
    await this.cluster.createTopic(topic);
    this.log.info(`Created topic ${topic.name} with ${partitions.length} partitions (id ${topic.id})`);
    return this.cluster.topics.get(topic.name) ?? topic;
  }

  waitForLeaders(name: string, timeoutMs: number): Promise<void> {
    return this.view.waitFor(() => this.cluster.topics.get(name)?.partitions.every((p) => p.leader >= 0) ?? true, timeoutMs);
  }

  async deleteTopic(name: string): Promise<void> {
    await this.cluster.deleteTopic(name);
    this.log.info(`Deleted topic ${name}`);
  }
}
