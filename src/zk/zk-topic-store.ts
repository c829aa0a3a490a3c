// Topics as ZooKeeper holds them: assignment (/brokers/topics/<t>), partition states with their
// znode versions (the controller's compare-and-set), and config overrides (/config/topics/<t>).
// The broker sees them as TopicInfo: partitions without a state yet have no leader, and a topic
// without a topic_id (written by a pre-2.8 tool) stays hidden until the controller gives it one.

import { DeltaRecorder } from '../cluster/cluster-delta';
import { TopicIndex } from '../cluster/topic-index';
import { TopicView } from '../cluster/cluster';
import { PartitionInfo, TopicInfo } from '../cluster/topic';
import { PartitionState, TopicAssignment } from './znode-payloads';

export interface VersionedPartitionState extends PartitionState {
  /** Znode version of the state node: the partition epoch. */
  version: number;
}

export interface ZkTopic {
  name: string;
  assignment: TopicAssignment;
  /** Znode version of /brokers/topics/<t>. */
  version: number;
  /** Per partition: undefined while not read yet, null when the controller has not written one. */
  states: (VersionedPartitionState | null | undefined)[];
}

export class ZkTopicStore implements TopicView {
  private readonly topics = new Map<string, ZkTopic>();
  private readonly configs = new Map<string, Record<string, string>>();
  /** Topics as the broker sees them: only those with a topic id, partitions without state lead by -1. */
  private readonly published = new TopicIndex();

  /** What the published topics went through since the view last reported. */
  get changes(): DeltaRecorder {
    return this.published.changes;
  }

  list(): TopicInfo[] {
    return this.published.list();
  }

  get(name: string): TopicInfo | undefined {
    return this.published.get(name);
  }

  getById(id: string): TopicInfo | undefined {
    return this.published.getById(id);
  }

  /** Every topic in /brokers/topics, published or not. */
  all(): ZkTopic[] {
    return [...this.topics.values()];
  }

  topic(name: string): ZkTopic | undefined {
    return this.topics.get(name);
  }

  /** Returns whether anything changed. */
  setAssignment(name: string, assignment: TopicAssignment, version: number): boolean {
    const old = this.topics.get(name);
    if (old && old.version === version && JSON.stringify(old.assignment) === JSON.stringify(assignment)) return false;
    const states = assignment.replicas.map((_, p) => old?.states[p]);
    this.topics.set(name, { name, assignment, version, states });
    this.publish(name);
    return true;
  }

  setState(name: string, partition: number, state: VersionedPartitionState | null): boolean {
    const topic = this.topics.get(name);
    if (!topic || partition >= topic.states.length) return false;
    const old = topic.states[partition];
    if (old !== undefined && JSON.stringify(old) === JSON.stringify(state)) return false;
    topic.states[partition] = state;
    this.publish(name);
    return true;
  }

  setConfigs(name: string, configs: Record<string, string>): boolean {
    if (JSON.stringify(this.configs.get(name) ?? {}) === JSON.stringify(configs)) return false;
    this.configs.set(name, configs);
    if (this.topics.has(name)) this.publish(name);
    return true;
  }

  remove(name: string): boolean {
    const existed = this.topics.delete(name);
    this.configs.delete(name);
    this.published.delete(name);
    return existed;
  }

  private publish(name: string): void {
    const topic = this.topics.get(name)!;
    this.published.delete(name);
    const id = topic.assignment.topicId;
    if (id === null) return;
    const partitions = topic.assignment.replicas.map((replicas, p): PartitionInfo => {
      const s = topic.states[p];
      return s ? { replicas, leader: s.leader, leaderEpoch: s.leaderEpoch, isr: s.isr } : { replicas, leader: -1, leaderEpoch: -1, isr: [] };
    });
    this.published.set({ name, id, partitions, configs: this.configs.get(name) ?? {} });
  }
}
