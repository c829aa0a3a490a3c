// The admin calls of kafka-reassign-partitions.sh, as Kafka's Admin client sends them: partition
// reassignments to the controller, topic descriptions and the broker list from Metadata, throttle
// configs with IncrementalAlterConfigs (a broker's own configs to that broker), and replica log dirs with
// DescribeLogDirs / AlterReplicaLogDirs to each broker concerned.
import { Apis, ErrorCode, errorName } from '../../../protocol';
import { BrokerNode, ClusterClient } from '../../client/cluster-client';
import { TopicPartition, tpName } from '../../client/topic-partition';
import { PartitionTarget, ReassignError, ReplicaLogDir } from './reassignment-json';

export interface OngoingReassignment extends TopicPartition {
  replicas: number[];
  addingReplicas: number[];
  removingReplicas: number[];
}

/** Where a replica's log lives now, and where it is being moved (null when it is not). */
export interface ReplicaLogDirInfo {
  current: string | null;
  future: string | null;
}

const SET = 0;
const DELETE = 1;
const BROKER_RESOURCE = 4;
const TOPIC_RESOURCE = 2;

function failure(code: number, message: string | null | undefined): string {
  return message ?? errorName(code);
}

export async function listReassignments(client: ClusterClient, partitions: TopicPartition[] | null = null): Promise<OngoingReassignment[]> {
  const topics =
    partitions === null
      ? null
      : [...new Set(partitions.map((p) => p.topic))].map((name) => ({ name, partitionIndexes: partitions.filter((p) => p.topic === name).map((p) => p.partition) }));
  const res = await client.request(Apis.ListPartitionReassignments, { timeoutMs: 30_000, topics }, { to: 'controller' });
  if (res.errorCode !== ErrorCode.NONE) throw new ReassignError(failure(res.errorCode, res.errorMessage));
  return res.topics.flatMap((t) =>
    t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, replicas: p.replicas, addingReplicas: p.addingReplicas, removingReplicas: p.removingReplicas })),
  );
}

/** AlterPartitionReassignments; replicas null cancels. Returns the per-partition errors. */
export async function alterReassignments(client: ClusterClient, targets: { topic: string; partition: number; replicas: number[] | null }[]): Promise<Map<string, string>> {
  const topics = [...new Set(targets.map((t) => t.topic))].map((name) => ({
    name,
    partitions: targets.filter((t) => t.topic === name).map((t) => ({ partitionIndex: t.partition, replicas: t.replicas })),
  }));
  const res = await client.request(Apis.AlterPartitionReassignments, { timeoutMs: 30_000, topics }, { to: 'controller' });
  const errors = new Map<string, string>();
  for (const t of res.responses) {
    for (const p of t.partitions) {
      const code = res.errorCode !== ErrorCode.NONE ? res.errorCode : p.errorCode;
      if (code !== ErrorCode.NONE) errors.set(`${t.name}-${p.partitionIndex}`, failure(code, res.errorCode !== ErrorCode.NONE ? res.errorMessage : p.errorMessage));
    }
  }
  return errors;
}

/** The brokers of the cluster (describeCluster's nodes). */
export async function clusterNodes(client: ClusterClient): Promise<BrokerNode[]> {
  await client.refreshMetadata();
  return client.brokers();
}

/** Every partition's replicas of these topics; an unknown topic fails as Kafka's describeTopics does. */
export async function replicaAssignments(client: ClusterClient, topics: string[]): Promise<PartitionTarget[]> {
  if (topics.length === 0) return [];
  const md = await client.metadata([...new Set(topics)]);
  const out: PartitionTarget[] = [];
  for (const t of md.topics) {
    if (t.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
      throw new ReassignError(`org.apache.kafka.common.errors.UnknownTopicOrPartitionException: Topic ${t.name} not found.`);
    }
    if (t.errorCode !== ErrorCode.NONE) throw new ReassignError(`${t.name}: ${errorName(t.errorCode)}`);
    for (const p of t.partitions) out.push({ topic: t.name!, partition: p.partitionIndex, replicas: p.replicaNodes });
  }
  return out;
}

export interface ConfigChange {
  resourceType: 'broker' | 'topic';
  name: string;
  set?: Record<string, string>;
  delete?: string[];
}

/** IncrementalAlterConfigs: topic configs through any broker, a broker's configs at that broker. */
export async function alterConfigs(client: ClusterClient, changes: ConfigChange[]): Promise<void> {
  const send = async (batch: ConfigChange[], to: number | 'any') => {
    if (batch.length === 0) return;
    const res = await client.request(
      Apis.IncrementalAlterConfigs,
      {
        validateOnly: false,
        resources: batch.map((c) => ({
          resourceType: c.resourceType === 'broker' ? BROKER_RESOURCE : TOPIC_RESOURCE,
          resourceName: c.name,
          configs: [
            ...Object.entries(c.set ?? {}).map(([name, value]) => ({ name, configOperation: SET, value })),
            ...(c.delete ?? []).map((name) => ({ name, configOperation: DELETE, value: null })),
          ],
        })),
      },
      { to },
    );
    const failed = res.responses.find((r) => r.errorCode !== ErrorCode.NONE);
    if (failed !== undefined) throw new ReassignError(failure(failed.errorCode, failed.errorMessage));
  };
  await send(changes.filter((c) => c.resourceType === 'topic'), 'any');
  for (const c of changes.filter((x) => x.resourceType === 'broker')) await send([c], Number(c.name));
}

/** describeReplicaLogDirs: for each replica (by broker), its current and future log dir. */
export async function describeReplicaLogDirs(client: ClusterClient, replicas: ReplicaLogDir[]): Promise<Map<string, ReplicaLogDirInfo>> {
  const out = new Map<string, ReplicaLogDirInfo>();
  for (const broker of new Set(replicas.map((r) => r.broker))) {
    const mine = replicas.filter((r) => r.broker === broker);
    const topics = [...new Set(mine.map((r) => r.topic))].map((topic) => ({ topic, partitions: mine.filter((r) => r.topic === topic).map((r) => r.partition) }));
    let res;
    try {
      res = await client.request(Apis.DescribeLogDirs, { topics }, { to: broker });
    } catch {
      continue;
    }
    for (const dir of res.results) {
      if (dir.errorCode !== ErrorCode.NONE) continue;
      for (const t of dir.topics) {
        for (const p of t.partitions) {
          const key = `${broker}:${t.name}-${p.partitionIndex}`;
          const info = out.get(key) ?? { current: null, future: null };
          if (p.isFutureKey) info.future = dir.logDir;
          else info.current = dir.logDir;
          out.set(key, info);
        }
      }
    }
    for (const r of mine) if (!out.has(replicaKey(r))) out.set(replicaKey(r), { current: null, future: null });
  }
  return out;
}

/** TopicPartitionReplica.toString: topic-partition-broker. */
export const replicaText = (r: TopicPartition & { broker: number }): string => `${tpName(r)}-${r.broker}`;

export const replicaKey = (r: ReplicaLogDir | (TopicPartition & { broker: number })): string => `${r.broker}:${tpName(r)}`;

/** alterReplicaLogDirs: the replicas whose move started; REPLICA_NOT_AVAILABLE ones are left for a retry. */
export async function alterReplicaLogDirs(client: ClusterClient, moves: ReplicaLogDir[]): Promise<ReplicaLogDir[]> {
  const started: ReplicaLogDir[] = [];
  for (const broker of new Set(moves.map((m) => m.broker))) {
    const mine = moves.filter((m) => m.broker === broker);
    const dirs = [...new Set(mine.map((m) => m.logDir))].map((path) => {
      const inDir = mine.filter((m) => m.logDir === path);
      return { path, topics: [...new Set(inDir.map((m) => m.topic))].map((name) => ({ name, partitions: inDir.filter((m) => m.topic === name).map((m) => m.partition) })) };
    });
    const res = await client.request(Apis.AlterReplicaLogDirs, { dirs }, { to: broker });
    for (const t of res.results) {
      for (const p of t.partitions) {
        const move = mine.find((m) => m.topic === t.topicName && m.partition === p.partitionIndex)!;
        if (p.errorCode === ErrorCode.NONE) started.push(move);
        else if (p.errorCode !== ErrorCode.REPLICA_NOT_AVAILABLE) {
          throw new ReassignError(`Failed to alter dir for ${replicaText(move)}`);
        }
      }
    }
  }
  return started;
}
