// The base of a coordinator whose state lives in an internal topic (__consumer_offsets for groups,
// __transaction_state for transactions), as Kafka's coordinators work: the topic is created on
// first use; a key belongs to one partition; this broker coordinates the keys of the partitions it
// leads, once it has read them back (COORDINATOR_LOAD_IN_PROGRESS meanwhile, NOT_COORDINATOR
// elsewhere) and forgets them when it stops leading; writes are appended as the leader and, like
// Kafka's acks=-1 coordinator writes, acknowledged only once the ISR has them.
import { ErrorCode, KafkaError } from '../../protocol/errors';
import type { PartitionLog } from '../log/partition-log';
import type { CoordinatorServices, InternalTopicSpec } from './coordinator-services';
import { partitionForKey } from './key-partition';

export interface InternalTopicSettings {
  topic: InternalTopicSpec;
  /** How the topic is named to users, e.g. "offsets topic". */
  description: string;
  /** The broker config that sets the topic's replication factor, named when too few brokers are alive. */
  replicationFactorConfig: string;
  /** How long a write waits for the ISR (offsets.commit.timeout.ms for groups). */
  writeTimeoutMs: number;
}

/** Appends to the partitions of an internal topic, as their leader. */
export interface PartitionWriter {
  /** Appends one batch; returns the exclusive end offset of what was written. Throws a KafkaError. */
  append(partition: number, batch: Buffer): number;
  /** Appends one batch and waits for the ISR; resolves NONE or the append's error code, unmapped. */
  appendReplicated(partition: number, batch: Buffer): Promise<number>;
}

export abstract class InternalTopicCoordinator implements PartitionWriter {
  /** Partitions whose state is in memory, and those being read back. */
  private readonly loaded = new Set<number>();
  private readonly loading = new Set<number>();
  private creatingTopic?: Promise<void>;

  constructor(
    protected readonly services: CoordinatorServices,
    protected readonly settings: InternalTopicSettings,
  ) {}

  get topicName(): string {
    return this.settings.topic.name;
  }

  partitionFor(key: string): number {
    return partitionForKey(key, this.settings.topic.numPartitions);
  }

  /** Reads a partition this broker now leads back into memory. */
  protected abstract loadPartition(partition: number, log: PartitionLog): Promise<void>;

  /** Forgets the state of a partition this broker no longer leads. */
  protected abstract unloadPartition(partition: number): void;

  /**
   * Follows leadership of the topic's partitions: those this broker now leads are loaded, those it
   * no longer leads unloaded. Call after every change of the cluster view.
   */
  async leadershipChanged(): Promise<void> {
    const partitions = this.services.topic(this.topicName)?.partitions ?? [];
    const loads: Promise<void>[] = [];
    partitions.forEach((_, p) => {
      const leading = this.leads(p);
      if (leading && !this.loaded.has(p) && !this.loading.has(p)) loads.push(this.load(p));
      if (!leading && this.loaded.has(p)) this.unload(p);
    });
    await Promise.all(loads);
  }

  private async load(partition: number): Promise<void> {
    const log = this.services.localLog(this.topicName, partition);
    if (!log) return;
    this.loading.add(partition);
    try {
      await this.loadPartition(partition, log);
      this.loaded.add(partition);
      // Leadership may have moved on while the partition was read.
      if (!this.leads(partition)) this.unload(partition);
    } catch (e) {
      this.services.log.error(`Failed to load ${this.topicName}-${partition}`, e);
    } finally {
      this.loading.delete(partition);
    }
  }

  private unload(partition: number): void {
    this.unloadPartition(partition);
    this.loaded.delete(partition);
  }

  private leads(partition: number): boolean {
    return this.services.topic(this.topicName)?.partitions[partition]?.leader === this.services.brokerId();
  }

  /** NONE when this broker leads the key's partition and has read it back. */
  checkCoordinator(key: string): number {
    const p = this.partitionFor(key);
    if (this.loading.has(p)) return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    return this.loaded.has(p) && this.leads(p) ? ErrorCode.NONE : ErrorCode.NOT_COORDINATOR;
  }

  /** FindCoordinator: the leader of the key's partition, creating the topic on first use. */
  async coordinatorFor(key: string): Promise<number> {
    await this.ensureTopic();
    const leader = this.services.topic(this.topicName)?.partitions[this.partitionFor(key)]?.leader ?? -1;
    if (leader < 0) throw new KafkaError(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'The coordinator is not available.');
    return leader;
  }

  /** The leader of the key's partition in the current view, or null (no topic yet, no leader). */
  leaderFor(key: string): number | null {
    const leader = this.services.topic(this.topicName)?.partitions[this.partitionFor(key)]?.leader ?? -1;
    return leader < 0 ? null : leader;
  }

  /** Creates the topic once, however many requests ask for it meanwhile. */
  private ensureTopic(): Promise<void> {
    if (this.services.topic(this.topicName)) return Promise.resolve();
    this.creatingTopic ??= this.createTopic().finally(() => (this.creatingTopic = undefined));
    return this.creatingTopic;
  }

  /** Refused while fewer brokers are alive than the replication factor, as Kafka does. */
  private async createTopic(): Promise<void> {
    const { topic, description, replicationFactorConfig } = this.settings;
    const alive = this.services.liveBrokerCount();
    if (alive < topic.replicationFactor) {
      throw new KafkaError(
        ErrorCode.COORDINATOR_NOT_AVAILABLE,
        `Number of alive brokers '${alive}' does not meet the required replication factor '${topic.replicationFactor}' for the ${description} (configured via '${replicationFactorConfig}'). This error can be ignored if the cluster is starting up and not all brokers are up yet.`,
      );
    }
    try {
      await this.services.createTopic(topic);
    } catch (e) {
      // Another broker created it first.
      if (!(e instanceof KafkaError && e.code === ErrorCode.TOPIC_ALREADY_EXISTS)) throw e;
    }
  }

  append(partition: number, batch: Buffer): number {
    const { services, topicName } = this;
    const log = services.leaderLog(topicName, partition);
    // Kafka's AppendOrigin.COORDINATOR: a transactional batch's producer epoch is checked, not its sequence.
    const info = log.append(batch, { leaderEpoch: services.leaderEpoch(topicName, partition), timestampType: 0, now: services.clock.now(), origin: 'coordinator' });
    return info.lastOffset + 1;
  }

  async appendReplicated(partition: number, batch: Buffer): Promise<number> {
    let endOffset: number;
    try {
      endOffset = this.append(partition, batch);
    } catch (e) {
      if (e instanceof KafkaError) return e.code;
      this.services.log.error(`Failed to append to ${this.topicName}-${partition}`, e);
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    }
    const err = await this.services.waitForReplication(this.topicName, partition, endOffset, this.settings.writeTimeoutMs);
    return err ? err.code : ErrorCode.NONE;
  }
}
