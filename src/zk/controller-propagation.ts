// What the controller tells brokers after partition states change (Kafka's
// ControllerBrokerRequestBatch): it compares the view with what it last sent and sends
// LeaderAndIsr for each changed partition to its live replicas, UpdateMetadata with the changes to
// every live broker (everything when brokers joined, left or re-registered), and StopReplica to
// replicas a reassignment removed or whose topic is gone: without delete, then with (Kafka's
// OfflineReplica then ReplicaDeletionStarted). Controlled shutdown sends StopReplica without
// delete. A new controller starts with nothing sent, so its first pass sends everything.

import { Apis } from '../../protocol';
import { BrokerInfo } from '../cluster/cluster';
import { ClusterView } from './cluster-view';
import { ControllerChannel } from './controller-channel';
import { partitionAssignment } from './reassignment';
import { VersionedPartitionState } from './zk-topic-store';

export const LEADER_AND_ISR_VERSION = 7;
export const UPDATE_METADATA_VERSION = 8;
export const STOP_REPLICA_VERSION = 4;

/** Kafka's LeaderAndIsr.EpochDuringDelete: a StopReplica of a removed replica or deleted topic, accepted whatever the broker's leader epoch. */
const EPOCH_DURING_DELETE = -2;

const SECURITY_PROTOCOL_IDS: Record<string, number> = { PLAINTEXT: 0, SSL: 1, SASL_PLAINTEXT: 2, SASL_SSL: 3 };

interface SentPartition {
  topicId: string;
  fingerprint: string;
  replicas: number[];
}

interface ChangedPartition {
  topic: string;
  topicId: string;
  partition: number;
  state: VersionedPartitionState;
  replicas: number[];
  adding: number[];
  removing: number[];
  isNew: boolean;
}

export class ControllerPropagation {
  /** Per "topic:partition", what brokers were last told. */
  private readonly sent = new Map<string, SentPartition>();
  /** The live brokers and epochs last told, as text. */
  private sentBrokers = '';

  constructor(
    private readonly view: ClusterView,
    private readonly channel: ControllerChannel,
    private readonly controllerId: number,
    private readonly controllerEpoch: number,
  ) {}

  /** Sends what changed since the last call. */
  propagate(): void {
    const live = [...this.view.brokers.values()].sort((a, b) => a.id - b.id);
    const brokers = JSON.stringify(live.map((b) => [b.id, String(this.view.brokerEpochs.get(b.id)), b.endpoints]));
    const previous = this.sentBrokers === '' ? new Map<number, string>() : new Map((JSON.parse(this.sentBrokers) as [number, string][]).map(([id, epoch]) => [id, epoch]));
    // Joined or re-registered: such a broker hears every partition it hosts.
    const fresh = new Set(live.filter((b) => previous.get(b.id) !== String(this.view.brokerEpochs.get(b.id))).map((b) => b.id));
    const brokersChanged = brokers !== this.sentBrokers;
    this.sentBrokers = brokers;

    const all: ChangedPartition[] = [];
    const changed: ChangedPartition[] = [];
    const stops = new Map<number, { topic: string; partition: number }[]>();
    const stop = (broker: number, topic: string, partition: number) => {
      const list = stops.get(broker) ?? [];
      list.push({ topic, partition });
      stops.set(broker, list);
    };
    const seen = new Set<string>();
    for (const topic of this.view.topics.all()) {
      const topicId = topic.assignment.topicId;
      if (topicId === null || this.view.pendingDeletes.has(topic.name)) continue;
      topic.states.forEach((state, partition) => {
        if (!state) return;
        const key = `${topic.name}:${partition}`;
        seen.add(key);
        const p = partitionAssignment(topic.assignment, partition);
        const fingerprint = JSON.stringify([topicId, state.leader, state.leaderEpoch, state.isr, state.version, p.replicas, p.adding, p.removing]);
        const before = this.sent.get(key);
        const entry = { topic: topic.name, topicId, partition, state, replicas: p.replicas, adding: p.adding, removing: p.removing, isNew: !before && state.version === 0 };
        all.push(entry);
        if (before?.fingerprint === fingerprint) return;
        changed.push(entry);
        for (const r of before?.topicId === topicId ? before.replicas : []) if (!p.replicas.includes(r)) stop(r, topic.name, partition);
        this.sent.set(key, { topicId, fingerprint, replicas: p.replicas });
      });
    }
    for (const [key, before] of this.sent) {
      if (seen.has(key)) continue;
      const [topic, partition] = splitKey(key);
      for (const r of before.replicas) stop(r, topic, partition);
      this.sent.delete(key);
    }

    for (const b of live) {
      const states = fresh.has(b.id) ? all : changed;
      const mine = states.filter((c) => c.replicas.includes(b.id));
      if (mine.length > 0) this.sendLeaderAndIsr(b.id, mine, live);
    }
    const metadata = brokersChanged ? all : changed;
    if (brokersChanged || metadata.length > 0) for (const b of live) this.sendUpdateMetadata(b.id, metadata, live);
    // ReplicaStateMachine: OfflineReplica (stop fetching), then ReplicaDeletionStarted (delete the log).
    for (const [broker, partitions] of stops) {
      const deleting = partitions.map((p) => ({ ...p, leaderEpoch: EPOCH_DURING_DELETE }));
      this.stopReplicas(broker, deleting, false);
      this.stopReplicas(broker, deleting, true);
    }
  }

  /** StopReplica to a live broker: it stops fetching the partitions and, with `deletePartitions`, deletes their logs. */
  stopReplicas(brokerId: number, partitions: readonly { topic: string; partition: number; leaderEpoch: number }[], deletePartitions: boolean): void {
    if (partitions.length === 0 || !this.view.brokers.has(brokerId)) return;
    const grouped = new Map<string, { partitionIndex: number; leaderEpoch: number; deletePartition: boolean }[]>();
    for (const p of partitions) {
      const list = grouped.get(p.topic) ?? [];
      list.push({ partitionIndex: p.partition, leaderEpoch: p.leaderEpoch, deletePartition: deletePartitions });
      grouped.set(p.topic, list);
    }
    this.channel.send(brokerId, {
      spec: Apis.StopReplica,
      version: STOP_REPLICA_VERSION,
      build: (brokerEpoch) => ({
        controllerId: this.controllerId,
        isKRaftController: false,
        controllerEpoch: this.controllerEpoch,
        brokerEpoch,
        deletePartitions,
        ungroupedPartitions: [],
        topics: [],
        topicStates: [...grouped].map(([topicName, partitionStates]) => ({ topicName, partitionStates })),
      }),
    });
  }

  /**
   * KafkaController.onBrokerLogDirFailure: LeaderAndIsr with every partition the brokers host, as it
   * stands, so each answers KAFKA_STORAGE_ERROR for its replicas in an offline log dir; `answered`
   * gets each broker's per-partition errors.
   */
  askReplicasOnline(brokerIds: readonly number[], answered: (brokerId: number, errors: { topic: string; partition: number; errorCode: number }[]) => void): void {
    const live = [...this.view.brokers.values()].sort((a, b) => a.id - b.id);
    const all: ChangedPartition[] = [];
    for (const topic of this.view.topics.all()) {
      const topicId = topic.assignment.topicId;
      if (topicId === null || this.view.pendingDeletes.has(topic.name)) continue;
      topic.states.forEach((state, partition) => {
        if (!state) return;
        const p = partitionAssignment(topic.assignment, partition);
        all.push({ topic: topic.name, topicId, partition, state, replicas: p.replicas, adding: p.adding, removing: p.removing, isNew: false });
      });
    }
    for (const id of brokerIds) {
      const mine = all.filter((c) => c.replicas.includes(id));
      if (mine.length === 0 || !this.view.brokers.has(id)) continue;
      this.sendLeaderAndIsr(id, mine, live, (response) => {
        const r = response as { errorCode: number; topics: { topicId: string; partitionErrors: { partitionIndex: number; errorCode: number }[] }[] };
        if (r.errorCode !== 0) return;
        const names = new Map(mine.map((c) => [c.topicId, c.topic]));
        answered(id, r.topics.flatMap((t) => t.partitionErrors.map((e) => ({ topic: names.get(t.topicId) ?? '', partition: e.partitionIndex, errorCode: e.errorCode }))));
      });
    }
  }

  private sendLeaderAndIsr(brokerId: number, partitions: ChangedPartition[], live: BrokerInfo[], onResponse?: (response: unknown) => void): void {
    const leaders = new Set(partitions.map((p) => p.state.leader));
    this.channel.send(brokerId, {
      onResponse,
      spec: Apis.LeaderAndIsr,
      version: LEADER_AND_ISR_VERSION,
      build: (brokerEpoch) => ({
        controllerId: this.controllerId,
        isKRaftController: false,
        controllerEpoch: this.controllerEpoch,
        brokerEpoch,
        type: 0,
        ungroupedPartitionStates: [],
        topicStates: byTopic(partitions).map(([topicName, ps]) => ({
          topicName,
          topicId: ps[0].topicId,
          partitionStates: ps.map((p) => ({
            topicName,
            partitionIndex: p.partition,
            controllerEpoch: p.state.controllerEpoch,
            leader: p.state.leader,
            leaderEpoch: p.state.leaderEpoch,
            isr: p.state.isr,
            partitionEpoch: p.state.version,
            replicas: p.replicas,
            addingReplicas: p.adding,
            removingReplicas: p.removing,
            isNew: p.isNew,
            leaderRecoveryState: p.state.leaderRecoveryState,
          })),
        })),
        liveLeaders: live.filter((b) => leaders.has(b.id)).flatMap((b) => {
          const e = b.endpoints.find((x) => x.listener === this.channel.listener) ?? b.endpoints[0];
          return e ? [{ brokerId: b.id, hostName: e.host, port: e.port }] : [];
        }),
      }),
    });
  }

  private sendUpdateMetadata(brokerId: number, partitions: ChangedPartition[], live: BrokerInfo[]): void {
    const alive = new Set(live.map((b) => b.id));
    this.channel.send(brokerId, {
      spec: Apis.UpdateMetadata,
      version: UPDATE_METADATA_VERSION,
      build: (brokerEpoch) => ({
        controllerId: this.controllerId,
        isKRaftController: false,
        type: 0,
        controllerEpoch: this.controllerEpoch,
        brokerEpoch,
        ungroupedPartitionStates: [],
        topicStates: byTopic(partitions).map(([topicName, ps]) => ({
          topicName,
          topicId: ps[0].topicId,
          partitionStates: ps.map((p) => ({
            topicName,
            partitionIndex: p.partition,
            controllerEpoch: p.state.controllerEpoch,
            leader: p.state.leader,
            leaderEpoch: p.state.leaderEpoch,
            isr: p.state.isr,
            zkVersion: p.state.version,
            replicas: p.replicas,
            offlineReplicas: p.replicas.filter((r) => !alive.has(r)),
          })),
        })),
        liveBrokers: live.map((b) => ({
          id: b.id,
          v0Host: '',
          v0Port: -1,
          endpoints: b.endpoints.map((e) => ({ port: e.port, host: e.host, listener: e.listener, securityProtocol: SECURITY_PROTOCOL_IDS[e.securityProtocol] ?? 0 })),
          rack: b.rack,
        })),
      }),
    });
  }
}

function byTopic(partitions: ChangedPartition[]): [string, ChangedPartition[]][] {
  const grouped = new Map<string, ChangedPartition[]>();
  for (const p of partitions) {
    const list = grouped.get(p.topic) ?? [];
    list.push(p);
    grouped.set(p.topic, list);
  }
  return [...grouped];
}

function splitKey(key: string): [string, number] {
  const i = key.lastIndexOf(':');
  return [key.slice(0, i), Number(key.slice(i + 1))];
}
