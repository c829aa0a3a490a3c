// kafka-get-offsets.sh, as Kafka 3.9's GetOffsetShell: the offset of each matching partition for
// --time (latest, earliest, max-timestamp, earliest-local, latest-tiered or a timestamp), asked of
// each partition's leader with ListOffsets, printed "topic:partition:offset" sorted by
// "topic-partition" as text. Partitions with no such offset are left out; failures print
// "Error occurred: <message>" on stderr.

import { Apis, ErrorCode } from '../../../protocol';
import { ClusterClient } from '../../client/cluster-client';
import { TopicPartition } from '../../client/topic-partition';
import { ParsedOptions, ToolCommand, UsageError } from '../command-line';
import { connectCluster } from '../cluster-options';
import { describeTopics, includeList, listTopicNames } from './admin-calls';
import { KafkaApiError } from '../kafka-api-error';

const TOPIC_PARTITION_PATTERN = '([^:,]*)(?::(?:([0-9]*)|(?:([0-9]*)-([0-9]*))))?';

export const command = new ToolCommand('An interactive shell for getting topic-partition offsets.', [
  { name: 'bootstrap-server', arg: 'String: HOST1:PORT1,...,HOST3:PORT3', description: 'REQUIRED. The server(s) to connect to in the form HOST1:PORT1,HOST2:PORT2.' },
  {
    name: 'topic-partitions',
    arg: 'String: topic1:1,topic2:0-3,topic3,topic4:5-,topic5:-3',
    description:
      `Comma separated list of topic-partition patterns to get the offsets for, with the format of '${TOPIC_PARTITION_PATTERN}'. The first group is an optional regex for the topic name, if omitted, it matches any topic name. ` +
      "The section after ':' describes a 'partition' pattern, which can be: a number, a range in the format of 'NUMBER-NUMBER' (lower inclusive, upper exclusive), an inclusive lower bound in the format of 'NUMBER-', an exclusive upper bound in the format of '-NUMBER' or may be omitted to accept all partitions.",
  },
  { name: 'topic', arg: 'String: topic', description: 'The topic to get the offsets for. It also accepts a regular expression. If not present, all authorized topics are queried. Cannot be used if --topic-partitions is present.' },
  { name: 'partitions', arg: 'String: partition ids', description: 'Comma separated list of partition ids to get the offsets for. If not present, all partitions of the authorized topics are queried. Cannot be used if --topic-partitions is present.' },
  {
    name: 'time',
    arg: 'String: <timestamp> / -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered',
    defaultValue: 'latest',
    description: 'timestamp of the offsets before that. [Note: No offset is returned, if the timestamp greater than recently committed record timestamp is given.]',
  },
  { name: 'command-config', arg: 'String: config file', description: 'Property file containing configs to be passed to Admin Client.' },
  { name: 'exclude-internal-topics', description: 'By default, internal topics are included. If specified, internal topics are excluded.' },
]);

/** A failure GetOffsetShell reports as "Error occurred: <message>". */
class TerseError extends Error {}

const NAMED_TIMES: Record<string, bigint> = { latest: -1n, earliest: -2n, 'max-timestamp': -3n, 'earliest-local': -4n, 'latest-tiered': -5n };

/** --time as the ListOffsets timestamp it asks for (GetOffsetShell.parseOffsetSpec). */
export function parseTime(text: string): bigint {
  if (text in NAMED_TIMES) return NAMED_TIMES[text];
  if (!/^[-+]?\d+$/.test(text)) {
    throw new TerseError(`Malformed time argument ${text}. Please use -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered, or a specified long format timestamp`);
  }
  return BigInt(text);
}

interface Filter {
  topic(name: string): boolean;
  partition(topic: string, partition: number): boolean;
}

/** --topic-partitions: any rule may admit a partition (CompositeTopicPartitionFilter). */
export function topicPartitionsFilter(text: string): Filter {
  const rules = text.split(',').map((spec): Filter => {
    const m = new RegExp(`^${TOPIC_PARTITION_PATTERN}$`).exec(spec);
    if (!m) throw new TerseError(`Invalid rule specification: ${spec}`);
    const group = (g: number) => (m[g] !== undefined && m[g] !== '' ? m[g] : undefined);
    const topic = includeList(group(1) ?? '.*');
    let admits: (p: number) => boolean;
    if (group(2) !== undefined) {
      const only = Number(group(2));
      admits = (p) => p === only;
    } else {
      const lower = Number(group(3) ?? 0);
      const upper = group(4) !== undefined ? Number(group(4)) : 2 ** 31 - 1;
      admits = (p) => p >= lower && p < upper;
    }
    return { topic, partition: (t, p) => topic(t) && admits(p) };
  });
  return { topic: (t) => rules.some((r) => r.topic(t)), partition: (t, p) => rules.some((r) => r.partition(t, p)) };
}

/** --topic and --partitions (TopicFilterAndPartitionFilter). */
function topicAndPartitionsFilter(topic: string | undefined, partitions: string | undefined): Filter {
  const allowed = includeList(topic ?? '.*');
  let ids: Set<number> = new Set();
  if (partitions !== undefined && partitions !== '') {
    const parts = partitions.split(',');
    if (!parts.every((p) => /^[-+]?\d+$/.test(p))) throw new TerseError(`--partitions expects a comma separated list of numeric partition ids, but received: ${partitions}`);
    ids = new Set(parts.map(Number));
  }
  return { topic: allowed, partition: (t, p) => allowed(t) && (ids.size === 0 || ids.has(p)) };
}

export async function main(options: ParsedOptions): Promise<number> {
  if (!options.has('bootstrap-server')) throw new UsageError('Missing required argument "[bootstrap-server]"');
  let client: ClusterClient | undefined;
  try {
    if (options.has('topic-partitions') && (options.has('topic') || options.has('partitions'))) throw new TerseError('--topic-partitions cannot be used with --topic or --partitions');
    const timestamp = parseTime(options.value('time')!);
    const tpText = options.value('topic-partitions');
    const filter = tpText !== undefined ? topicPartitionsFilter(tpText) : topicAndPartitionsFilter(options.value('topic'), options.value('partitions'));
    client = await connectCluster(options, 'GetOffsetShell');
    const offsets = await fetchOffsets(client, filter, timestamp, options.has('exclude-internal-topics'));
    for (const [tp, offset] of offsets) process.stdout.write(`${tp.topic}:${tp.partition}:${offset}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`Error occurred: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    client?.close();
  }
}

async function fetchOffsets(client: ClusterClient, filter: Filter, timestamp: bigint, excludeInternal: boolean): Promise<[TopicPartition, bigint][]> {
  const topics = (await listTopicNames(client, !excludeInternal)).filter((t) => filter.topic(t));
  const described = topics.length === 0 ? new Map() : await describeTopics(client, topics);
  const byLeader = new Map<number, TopicPartition[]>();
  const found: TopicPartition[] = [];
  for (const t of described.values()) {
    for (const p of t.partitions) {
      if (!filter.partition(t.name, p.partition)) continue;
      found.push({ topic: t.name, partition: p.partition });
      byLeader.set(p.leader, [...(byLeader.get(p.leader) ?? []), { topic: t.name, partition: p.partition }]);
    }
  }
  if (found.length === 0) throw new TerseError('Could not match any topic-partitions with the specified filters');
  const results: [TopicPartition, bigint][] = [];
  const skip = (tp: TopicPartition, err: KafkaApiError) => process.stderr.write(`Skip getting offsets for topic-partition ${tp.topic}-${tp.partition} due to error: ${err.toString()}\n`);
  for (const [leader, partitions] of byLeader) {
    if (leader < 0) {
      for (const tp of partitions) skip(tp, new KafkaApiError(ErrorCode.LEADER_NOT_AVAILABLE));
      continue;
    }
    const res = await client.request(
      Apis.ListOffsets,
      {
        replicaId: -1,
        isolationLevel: 0,
        topics: groupByTopic(partitions).map(([name, ids]) => ({ name, partitions: ids.map((partitionIndex) => ({ partitionIndex, timestamp, currentLeaderEpoch: -1 })) })),
      },
      { to: leader, minVersion: timestamp === -3n ? 7 : timestamp === -4n || timestamp === -5n ? 8 : 1 },
    );
    for (const t of res.topics) {
      for (const p of t.partitions) {
        const tp = { topic: t.name, partition: p.partitionIndex };
        if (p.errorCode !== ErrorCode.NONE) skip(tp, new KafkaApiError(p.errorCode));
        else if (p.offset !== -1n) results.push([tp, p.offset]);
      }
    }
  }
  // Kafka sorts by TopicPartition.toString(), as text.
  return results.sort(([a], [b]) => compareText(`${a.topic}-${a.partition}`, `${b.topic}-${b.partition}`));
}

function groupByTopic(partitions: readonly TopicPartition[]): [string, number[]][] {
  const topics = new Map<string, number[]>();
  for (const tp of partitions) topics.set(tp.topic, [...(topics.get(tp.topic) ?? []), tp.partition]);
  return [...topics];
}

/** Java's String.compareTo: by UTF-16 code unit. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
