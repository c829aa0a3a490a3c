// The admin operations the consumer group tool needs, over the cluster client, as Kafka's Admin
// client performs them: ListGroups on every broker, DescribeGroups / OffsetFetch / OffsetCommit /
// DeleteGroups / OffsetDelete at the group's coordinator, ListOffsets at each partition's leader.

import { Apis, ErrorCode } from '../../../protocol';
import { BrokerNode, ClusterClient } from '../../client/cluster-client';
import { decodeAssignment } from '../../client/consumer-protocol';
import { TopicPartition } from '../../client/topic-partition';
import { KafkaApiError } from '../kafka-api-error';

export interface GroupListing {
  groupId: string;
  state: string;
}

export interface MemberDescription {
  consumerId: string;
  groupInstanceId: string | null;
  clientId: string;
  host: string;
  assignment: TopicPartition[];
}

export interface GroupDescription {
  groupId: string;
  state: string;
  partitionAssignor: string;
  coordinator: BrokerNode;
  members: MemberDescription[];
}

/** A committed offset per partition, in the order the broker listed them. */
export type CommittedOffsets = Map<string, { tp: TopicPartition; offset: bigint }>;

export const tpKey = (tp: TopicPartition): string => `${tp.topic}\u0000${tp.partition}`;

/** ListOffsets timestamps for the latest and earliest offsets. */
export const LATEST = -1n;
export const EARLIEST = -2n;

/** Work over at least this many partitions reports its progress. */
export const PROGRESS_FROM_PARTITIONS = 1000;

export class GroupAdmin {
  constructor(
    private readonly client: ClusterClient,
    /** Progress of long work, one line each (on stderr, so Kafka's output on stdout stays as it is). */
    private readonly progress: (line: string) => void = () => undefined,
  ) {}

  /** Consumer groups (protocol type "consumer" or none) on every broker, optionally only in these states. */
  async listGroups(states: readonly string[] = []): Promise<GroupListing[]> {
    await this.client.refreshMetadata();
    const out: GroupListing[] = [];
    for (const broker of this.client.brokers()) {
      const res = await this.client.request(Apis.ListGroups, { statesFilter: [...states] }, { to: broker.nodeId });
      if (res.errorCode !== ErrorCode.NONE) throw new KafkaApiError(res.errorCode);
      for (const g of res.groups) {
        if (g.protocolType !== 'consumer' && g.protocolType !== '') continue;
        out.push({ groupId: g.groupId, state: g.groupState || 'Unknown' });
      }
    }
    return out;
  }

  async describeGroup(groupId: string): Promise<GroupDescription> {
    const nodeId = await this.client.coordinator(groupId);
    const res = await this.client.request(Apis.DescribeGroups, { groups: [groupId], includeAuthorizedOperations: false }, { to: nodeId });
    const g = res.groups[0];
    if (!g) throw new KafkaApiError(ErrorCode.UNKNOWN_SERVER_ERROR);
    if (g.errorCode !== ErrorCode.NONE) throw new KafkaApiError(g.errorCode);
    if (g.protocolType !== 'consumer' && g.protocolType !== '') throw new Error(`Group ${groupId} is not a consumer group (${g.protocolType}).`);
    const coordinator = this.client.broker(nodeId) ?? { nodeId, host: '', port: -1, rack: null };
    return {
      groupId,
      state: g.groupState,
      partitionAssignor: g.protocolData,
      coordinator,
      members: g.members.map((m) => ({
        consumerId: m.memberId,
        groupInstanceId: m.groupInstanceId ?? null,
        clientId: m.clientId,
        host: m.clientHost,
        assignment: memberPartitions(m.memberAssignment),
      })),
    };
  }

  /** Every committed offset of the group (partitions without one are left out, as Kafka's admin does). */
  async committedOffsets(groupId: string): Promise<CommittedOffsets> {
    const nodeId = await this.client.coordinator(groupId);
    const res = await this.client.request(Apis.OffsetFetch, { groupId, topics: null, requireStable: true }, { to: nodeId, maxVersion: 7, minVersion: 2 });
    if (res.errorCode !== ErrorCode.NONE) throw new KafkaApiError(res.errorCode);
    const out: CommittedOffsets = new Map();
    for (const t of res.topics) {
      for (const p of t.partitions) {
        if (p.errorCode !== ErrorCode.NONE) throw new KafkaApiError(p.errorCode);
        if (p.committedOffset < 0n) continue;
        const tp = { topic: t.name, partition: p.partitionIndex };
        out.set(tpKey(tp), { tp, offset: p.committedOffset });
      }
    }
    return out;
  }

  /** The partitions of these topics; a missing topic is an UnknownTopicOrPartition error. */
  async partitionsOf(topics: readonly string[]): Promise<TopicPartition[]> {
    if (topics.length === 0) return [];
    const md = await this.client.metadata(topics);
    const out: TopicPartition[] = [];
    for (const t of md.topics) {
      if (t.errorCode !== ErrorCode.NONE) throw new KafkaApiError(t.errorCode);
      for (const p of [...t.partitions].sort((a, b) => a.partitionIndex - b.partitionIndex)) out.push({ topic: t.name!, partition: p.partitionIndex });
    }
    return out;
  }

  /**
   * ListOffsets for a timestamp (LATEST, EARLIEST or a time) at each partition's leader: the offset by
   * partition key, -1 when the broker has none for the time; partitions that failed are left out.
   */
  async listOffsets(partitions: readonly TopicPartition[], timestamp: bigint): Promise<Map<string, bigint>> {
    const out = new Map<string, bigint>();
    if (partitions.length === 0) return out;
    const topics = [...new Set(partitions.map((p) => p.topic))];
    const md = await this.client.metadata(topics);
    const leaders = new Map<string, number>();
    for (const t of md.topics) for (const p of t.partitions) leaders.set(tpKey({ topic: t.name!, partition: p.partitionIndex }), p.leaderId);
    const byLeader = new Map<number, TopicPartition[]>();
    for (const tp of partitions) {
      const leader = leaders.get(tpKey(tp));
      if (leader === undefined || leader < 0) continue;
      const list = byLeader.get(leader);
      if (list) list.push(tp);
      else byLeader.set(leader, [tp]);
    }
    let done = 0;
    for (const [leader, tps] of byLeader) {
      const byTopic = new Map<string, number[]>();
      for (const tp of tps) {
        const list = byTopic.get(tp.topic);
        if (list) list.push(tp.partition);
        else byTopic.set(tp.topic, [tp.partition]);
      }
      const res = await this.client.request(
        Apis.ListOffsets,
        {
          replicaId: -1,
          isolationLevel: 0,
          topics: [...byTopic].map(([name, ps]) => ({ name, partitions: ps.map((partitionIndex) => ({ partitionIndex, timestamp })) })),
        },
        { to: leader, minVersion: 1 },
      );
      for (const t of res.topics) {
        for (const p of t.partitions) if (p.errorCode === ErrorCode.NONE) out.set(tpKey({ topic: t.name, partition: p.partitionIndex }), p.offset);
      }
      done += tps.length;
      if (partitions.length >= PROGRESS_FROM_PARTITIONS) this.progress(`Listed offsets of ${done} of ${partitions.length} partitions`);
    }
    return out;
  }

  /** Commits these offsets for the (inactive) group, as the admin's alterConsumerGroupOffsets does. */
  async alterOffsets(groupId: string, offsets: readonly { tp: TopicPartition; offset: bigint }[]): Promise<void> {
    const nodeId = await this.client.coordinator(groupId);
    const byTopic = new Map<string, { partitionIndex: number; committedOffset: bigint; committedMetadata: string }[]>();
    for (const { tp, offset } of offsets) {
      const entry = { partitionIndex: tp.partition, committedOffset: offset, committedMetadata: '' };
      const list = byTopic.get(tp.topic);
      if (list) list.push(entry);
      else byTopic.set(tp.topic, [entry]);
    }
    const res = await this.client.request(
      Apis.OffsetCommit,
      { groupId, generationIdOrMemberEpoch: -1, memberId: '', topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })) },
      { to: nodeId },
    );
    for (const t of res.topics) for (const p of t.partitions) if (p.errorCode !== ErrorCode.NONE) throw new KafkaApiError(p.errorCode);
    if (offsets.length >= PROGRESS_FROM_PARTITIONS) this.progress(`Committed new offsets of ${offsets.length} partitions for group ${groupId}`);
  }

  /** Deletes each group at its coordinator; the error code per group (NONE when deleted). */
  async deleteGroups(groupIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const groupId of groupIds) {
      try {
        const nodeId = await this.client.coordinator(groupId);
        const res = await this.client.request(Apis.DeleteGroups, { groupsNames: [groupId] }, { to: nodeId });
        out.set(groupId, res.results.find((r) => r.groupId === groupId)?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR);
      } catch (err) {
        if (err instanceof KafkaApiError) out.set(groupId, err.code);
        else throw err;
      }
    }
    return out;
  }

  /** OffsetDelete: the top-level error and the error per partition. */
  async deleteOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<{ error: number; partitions: Map<string, number> }> {
    const nodeId = await this.client.coordinator(groupId);
    const byTopic = new Map<string, number[]>();
    for (const tp of partitions) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
    const res = await this.client.request(
      Apis.OffsetDelete,
      { groupId, topics: [...byTopic].map(([name, ps]) => ({ name, partitions: ps.map((partitionIndex) => ({ partitionIndex })) })) },
      { to: nodeId },
    );
    const out = new Map<string, number>();
    for (const t of res.topics) for (const p of t.partitions) out.set(tpKey({ topic: t.name, partition: p.partitionIndex }), p.errorCode);
    return { error: res.errorCode, partitions: out };
  }
}

/** A member's assigned partitions in the order its assignment lists them; none when it is not the consumer protocol's. */
function memberPartitions(assignment: Buffer): TopicPartition[] {
  try {
    return decodeAssignment(assignment).flatMap((a) => a.partitions.map((partition) => ({ topic: a.topic, partition })));
  } catch {
    return [];
  }
}
