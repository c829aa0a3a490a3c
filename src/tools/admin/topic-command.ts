// kafka-topics.sh, as Kafka 3.9's TopicCommand: --create, --list, --describe, --alter (partitions)
// and --delete, with --topic a comma-separated list or regular expression (TopicFilter.IncludeList).
// Its messages: "Created topic t.", and any failure as one line on stdout
// "Error while executing topic command : <message>" with exit code 1.

import { Apis, ErrorCode } from '../../../protocol';
import { ClusterClient } from '../../client/cluster-client';
import { TOPIC_CONFIGS } from '../../cluster/topic-configs';
import { ParsedOptions } from '../command-line';
import { connectCluster } from '../cluster-options';
import { INTERNAL_TOPICS, describeTopicConfigs, describeTopics, includeList, listReassignments, listTopicNames } from './admin-calls';
import { KafkaApiError } from '../kafka-api-error';
import { javaHashOrder, stringHash } from '../java-order';
import { checkTopicArgs, command } from './topic-options';
import { DescribedTopic, ZERO_UUID, describeLines } from './topic-describe';

export { command };

/** A failure TopicCommand reports as it is (its IllegalArgumentException and AdminCommandFailedException). */
class TopicCommandError extends Error {}

export async function main(options: ParsedOptions): Promise<number> {
  checkTopicArgs(options);
  let client: ClusterClient | undefined;
  try {
    const configs = topicConfigsToAdd(options);
    const assignment = replicaAssignment(options);
    client = await connectCluster(options, 'kafka-topics');
    if (options.has('create')) await createTopic(client, options, configs, assignment);
    else if (options.has('alter')) await alterTopics(client, options, assignment);
    else if (options.has('list')) await listTopics(client, options);
    else if (options.has('describe')) await describe(client, options);
    else await deleteTopics(client, options);
    return 0;
  } catch (err) {
    process.stdout.write(`Error while executing topic command : ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    client?.close();
  }
}

/** --config k=v pairs; a malformed or unknown one fails before anything is sent (as LogConfig.validate). */
function topicConfigsToAdd(options: ParsedOptions): Map<string, string> {
  const pairs = options.all('config').map((s) => s.split(/\s*=\s*/));
  if (!pairs.every((p) => p.length === 2)) throw new TopicCommandError('requirement failed: Invalid topic config: all configs to be added must be in the format "key=val".');
  const configs = new Map(pairs.map(([k, v]) => [k.trim(), v.trim()]));
  for (const name of configs.keys()) if (!(name in TOPIC_CONFIGS)) throw new TopicCommandError(`Unknown topic config name: ${name}`);
  return configs;
}

/** --replica-assignment "1:2,2:3": broker ids per partition, every partition with as many replicas as the first. */
export function parseReplicaAssignment(text: string): number[][] {
  const partitions: number[][] = [];
  for (const [i, spec] of text.split(',').entries()) {
    const brokers = spec.split(':').map((s) => {
      const id = s.trim();
      if (!/^-?\d+$/.test(id)) throw new TopicCommandError(`For input string: "${id}"`);
      return Number(id);
    });
    const duplicates = [...new Set(brokers.filter((b, j) => brokers.indexOf(b) !== j))];
    if (duplicates.length > 0) throw new TopicCommandError(`Partition replica lists may not contain duplicate entries: ${duplicates.join(',')}`);
    partitions.push(brokers);
    if (brokers.length !== partitions[0].length) throw new TopicCommandError(`Partition ${i} has different replication factor: [${brokers.join(', ')}]`);
  }
  return partitions;
}

function replicaAssignment(options: ParsedOptions): number[][] | undefined {
  const text = options.value('replica-assignment');
  return text === undefined || text === '' ? undefined : parseReplicaAssignment(text);
}

function failOn(code: number, message: string | null | undefined): void {
  if (code !== ErrorCode.NONE) throw new KafkaApiError(code, message);
}

async function createTopic(client: ClusterClient, options: ParsedOptions, configs: Map<string, string>, assignment: number[][] | undefined): Promise<void> {
  const name = options.required('topic');
  if (/[._]/.test(name)) {
    process.stdout.write("WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.\n");
  }
  const replicationFactor = options.int('replication-factor');
  const partitions = options.int('partitions');
  if (replicationFactor !== undefined && (replicationFactor > 32767 || replicationFactor < 1)) throw new TopicCommandError('The replication factor must be between 1 and 32767 inclusive');
  if (partitions !== undefined && partitions < 1) throw new TopicCommandError('The partitions must be greater than 0');
  const res = await client.request(
    Apis.CreateTopics,
    {
      topics: [
        {
          name,
          numPartitions: assignment ? -1 : (partitions ?? -1),
          replicationFactor: assignment ? -1 : (replicationFactor ?? -1),
          assignments: (assignment ?? []).map((brokerIds, partitionIndex) => ({ partitionIndex, brokerIds })),
          configs: [...configs].map(([k, value]) => ({ name: k, value })),
        },
      ],
      timeoutMs: client.requestTimeoutMs,
      validateOnly: false,
    },
    { to: 'controller' },
  );
  const result = res.topics.find((t) => t.name === name);
  if (result && result.errorCode === ErrorCode.TOPIC_ALREADY_EXISTS && options.has('if-not-exists')) return;
  if (result) failOn(result.errorCode, result.errorMessage);
  process.stdout.write(`Created topic ${name}.\n`);
}

/** The topics --topic names (all when absent), sorted, internal ones unless --exclude-internal (TopicService.getTopics). */
async function matchingTopics(client: ClusterClient, options: ParsedOptions): Promise<string[]> {
  const exclude = options.has('exclude-internal');
  const all = await listTopicNames(client, !exclude);
  const topic = options.value('topic');
  const allowed = topic === undefined ? () => true : includeList(topic);
  return all.filter((t) => allowed(t) && !(exclude && INTERNAL_TOPICS.has(t)));
}

/** No match for a given --topic fails unless --if-exists. */
function ensureTopicExists(found: readonly string[], options: ParsedOptions): void {
  const topic = options.value('topic');
  if (topic !== undefined && topic !== '' && !options.has('if-exists') && found.length === 0) throw new TopicCommandError(`Topic '${topic}' does not exist as expected`);
}

async function listTopics(client: ClusterClient, options: ParsedOptions): Promise<void> {
  process.stdout.write(`${(await matchingTopics(client, options)).join('\n')}\n`);
}

async function alterTopics(client: ClusterClient, options: ParsedOptions, assignment: number[][] | undefined): Promise<void> {
  const topics = await matchingTopics(client, options);
  ensureTopicExists(topics, options);
  if (topics.length === 0) return;
  const count = options.int('partitions')!;
  const described = await describeTopics(client, topics);
  const res = await client.request(
    Apis.CreatePartitions,
    {
      topics: topics.map((name) => ({
        name,
        count,
        // The assignment lists every partition; only those past the current count are new.
        assignments: assignment ? assignment.slice(described.get(name)?.partitions.length ?? 0).map((brokerIds) => ({ brokerIds })) : null,
      })),
      timeoutMs: client.requestTimeoutMs,
      validateOnly: false,
    },
    { to: 'controller' },
  );
  for (const r of res.results) failOn(r.errorCode, r.errorMessage);
}

async function deleteTopics(client: ClusterClient, options: ParsedOptions): Promise<void> {
  const topics = await matchingTopics(client, options);
  ensureTopicExists(topics, options);
  if (topics.length === 0) return;
  const res = await client.request(Apis.DeleteTopics, { topics: topics.map((name) => ({ name })), topicNames: topics, timeoutMs: client.requestTimeoutMs }, { to: 'controller' });
  for (const r of res.responses) failOn(r.errorCode, r.errorMessage);
}

async function describe(client: ClusterClient, options: ParsedOptions): Promise<void> {
  const names = await topicsToDescribe(client, options);
  if (names.length === 0) return;
  const described = await describeTopics(client, names);
  // Kafka's client hands the descriptions back in a HashMap sized for them, and TopicCommand prints them in its order.
  const ordered = javaHashOrder([...described.values()], (t) => stringHash(t.name), tableSizeFor(described.size));
  const configs = await describeTopicConfigs(client, ordered.map((t) => t.name));
  const liveBrokers = new Set(client.brokers().map((b) => b.nodeId));
  const reassignments = await listReassignments(client, ordered);
  const topics: DescribedTopic[] = ordered.map((t) => ({ name: t.name, topicId: t.topicId, partitions: t.partitions, configs: configs.get(t.name) ?? [] }));
  const lines = describeLines(topics, reassignments, liveBrokers, {
    underReplicated: options.has('under-replicated-partitions'),
    unavailable: options.has('unavailable-partitions'),
    underMinIsr: options.has('under-min-isr-partitions'),
    atMinIsr: options.has('at-min-isr-partitions'),
    withOverrides: options.has('topics-with-overrides'),
  });
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
}

/** By --topic-id when given (and not the zero id), else by --topic. */
async function topicsToDescribe(client: ClusterClient, options: ParsedOptions): Promise<string[]> {
  const topicId = options.value('topic-id');
  if (topicId !== undefined && topicId !== ZERO_UUID) {
    const res = await client.metadata(null);
    const found = res.topics.filter((t) => t.topicId === topicId && !(options.has('exclude-internal') && t.isInternal)).map((t) => t.name!);
    if (found.length === 0 && !options.has('if-exists')) throw new TopicCommandError(`TopicId '${topicId}' does not exist as expected`);
    return found;
  }
  const topics = await matchingTopics(client, options);
  ensureTopicExists(topics, options);
  return topics;
}

/** HashMap(n)'s first table size: the power of two at or above n. */
function tableSizeFor(n: number): number {
  let size = 1;
  while (size < n) size *= 2;
  return size;
}
