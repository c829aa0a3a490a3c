// The Admin API calls the topic and partition tools make, as Kafka's KafkaAdminClient makes them
// over the wire: topics and partitions from Metadata, topic configs from DescribeConfigs,
// reassignments from ListPartitionReassignments. Failures become KafkaApiError.

import { Apis, ErrorCode } from '../../../protocol';
import { KafkaApiError } from '../kafka-api-error';
import { ClusterClient, UnsupportedApiError } from '../../client/cluster-client';

export const INTERNAL_TOPICS: ReadonlySet<string> = new Set(['__consumer_offsets', '__transaction_state']);

export interface PartitionInfo {
  partition: number;
  /** -1 when there is none. */
  leader: number;
  replicas: number[];
  isr: number[];
}

export interface TopicInfo {
  name: string;
  topicId: string;
  isInternal: boolean;
  partitions: PartitionInfo[];
}

export interface ConfigEntry {
  name: string;
  value: string | null;
  isDefault: boolean;
}

/** Every topic name (internal ones unless excluded), sorted, like Admin.listTopics(). */
export async function listTopicNames(client: ClusterClient, includeInternal: boolean): Promise<string[]> {
  const res = await client.metadata(null);
  return res.topics
    .filter((t) => t.errorCode === ErrorCode.NONE && t.name !== null && (includeInternal || !t.isInternal))
    .map((t) => t.name!)
    .sort();
}

/** The named topics' partitions, like Admin.describeTopics(); a topic's error fails the call. */
export async function describeTopics(client: ClusterClient, names: readonly string[]): Promise<Map<string, TopicInfo>> {
  const res = await client.metadata(names);
  const topics = new Map<string, TopicInfo>();
  for (const t of res.topics) {
    if (t.errorCode !== ErrorCode.NONE) throw new KafkaApiError(t.errorCode);
    topics.set(t.name!, {
      name: t.name!,
      topicId: t.topicId,
      isInternal: t.isInternal,
      partitions: partitionInfos(t.partitions),
    });
  }
  return topics;
}

/** A Metadata topic's partitions, in partition order. */
export function partitionInfos(partitions: readonly { partitionIndex: number; leaderId: number; replicaNodes: readonly number[]; isrNodes: readonly number[] }[]): PartitionInfo[] {
  return partitions
    .map((p) => ({ partition: p.partitionIndex, leader: p.leaderId, replicas: [...p.replicaNodes], isr: [...p.isrNodes] }))
    .sort((a, b) => a.partition - b.partition);
}

const TOPIC_RESOURCE = 2;
const DEFAULT_CONFIG_SOURCE = 5;

/** Each topic's config entries in the broker's order, like Admin.describeConfigs(); isDefault as ConfigEntry.isDefault() reads it. */
export async function describeTopicConfigs(client: ClusterClient, names: readonly string[]): Promise<Map<string, ConfigEntry[]>> {
  if (names.length === 0) return new Map();
  const { version, response } = await client.requestWithVersion(Apis.DescribeConfigs, {
    resources: names.map((resourceName) => ({ resourceType: TOPIC_RESOURCE, resourceName, configurationKeys: null })),
    includeSynonyms: false,
    includeDocumentation: false,
  });
  const configs = new Map<string, ConfigEntry[]>();
  for (const r of response.results) {
    if (r.errorCode !== ErrorCode.NONE) throw new KafkaApiError(r.errorCode, r.errorMessage);
    configs.set(
      r.resourceName,
      r.configs.map((c) => ({ name: c.name, value: c.value, isDefault: version === 0 ? c.isDefault : c.configSource === DEFAULT_CONFIG_SOURCE })),
    );
  }
  return configs;
}

export interface Reassignment {
  replicas: number[];
  adding: number[];
  removing: number[];
}

/** Ongoing reassignments of these partitions by "topic-partition"; none when the cluster will not say (as TopicCommand ignores UnsupportedVersion and ClusterAuthorization). */
export async function listReassignments(client: ClusterClient, topics: readonly TopicInfo[]): Promise<Map<string, Reassignment>> {
  const found = new Map<string, Reassignment>();
  if (topics.length === 0) return found;
  let res;
  try {
    res = await client.request(
      Apis.ListPartitionReassignments,
      { timeoutMs: client.requestTimeoutMs, topics: topics.map((t) => ({ name: t.name, partitionIndexes: t.partitions.map((p) => p.partition) })) },
      { to: 'controller' },
    );
  } catch (err) {
    if (err instanceof UnsupportedApiError) return found;
    throw err;
  }
  if (res.errorCode === ErrorCode.CLUSTER_AUTHORIZATION_FAILED || res.errorCode === ErrorCode.UNSUPPORTED_VERSION) return found;
  if (res.errorCode !== ErrorCode.NONE) throw new KafkaApiError(res.errorCode, res.errorMessage);
  for (const t of res.topics) {
    for (const p of t.partitions) found.set(`${t.name}-${p.partitionIndex}`, { replicas: [...p.replicas], adding: [...p.addingReplicas], removing: [...p.removingReplicas] });
  }
  return found;
}

/** Kafka's TopicFilter.IncludeList: commas become alternatives, the whole name must match; a bad pattern fails as Kafka words it. */
export function includeList(rawRegex: string): (topic: string) => boolean {
  const regex = rawRegex
    .trim()
    .replace(/,/g, '|')
    .replace(/ /g, '')
    .replace(/^["']+/, '')
    .replace(/["']+$/, '');
  let pattern: RegExp;
  try {
    pattern = new RegExp(`^(?:${regex})$`);
  } catch {
    throw new Error(`${regex} is an invalid regex.`);
  }
  return (topic) => pattern.test(topic);
}
