// kafka-leader-election.sh, as Kafka 3.9's LeaderElectionCommand: asks the controller to elect the
// preferred (or, unclean, any live) replica as leader of one partition (--topic/--partition), the
// partitions of a JSON file, or all partitions, and reports which were elected, which already had a
// valid leader, and which failed ("N replica(s) could not be elected", exit 1).

import { Apis, ErrorCode } from '../../../protocol';
import { ClusterClient } from '../../client/cluster-client';
import { TopicPartition, tpName } from '../../client/topic-partition';
import { ParsedOptions, ToolCommand, UsageError } from '../command-line';
import { connectCluster } from '../cluster-options';
import { KafkaApiError } from '../kafka-api-error';
import { javaHashOrder, topicPartitionHash, topicPartitionOrder } from '../java-order';
import { ADMIN_OPERATION, UncaughtError, asInt, asString, field, partitionEntries, readJsonFile } from './partitions-json';

export const command = new ToolCommand(
  'This tool attempts to elect a new leader for a set of topic partitions. The type of elections supported are preferred replicas and unclean replicas.',
  [
    { name: 'bootstrap-server', arg: 'String: host:port', description: 'A hostname and port for the broker to connect to, in the form host:port. Multiple comma separated URLs can be given. REQUIRED.' },
    { name: 'admin.config', arg: 'String: config file', description: 'Configuration properties files to pass to the admin client' },
    {
      name: 'path-to-json-file',
      arg: 'String: Path to JSON file',
      description:
        'The JSON file with the list  of partition for which leader elections should be performed. This is an example format. \n{"partitions":\n\t[{"topic": "foo", "partition": 1},\n\t {"topic": "foobar", "partition": 2}]\n}\nNot allowed if --all-topic-partitions or --topic flags are specified.',
    },
    { name: 'topic', arg: 'String: topic name', description: 'Name of topic for which to perform an election. Not allowed if --path-to-json-file or --all-topic-partitions is specified.' },
    { name: 'partition', arg: 'Integer: partition id', description: 'Partition id for which to perform an election. REQUIRED if --topic is specified.' },
    {
      name: 'all-topic-partitions',
      description: 'Perform election on all of the eligible topic partitions based on the type of election (see the --election-type flag). Not allowed if --topic or --path-to-json-file is specified.',
    },
    {
      name: 'election-type',
      arg: '[PREFERRED,UNCLEAN]: election type',
      description:
        'Type of election to attempt. Possible values are "preferred" for preferred leader election or "unclean" for unclean leader election. If preferred election is selection, the election is only performed if the current leader is not the preferred leader for the topic partition. If unclean election is selected, the election is only performed if there are no leader for the topic partition. REQUIRED.',
    },
  ],
);

const ELECTION_TYPES: Record<string, number> = { PREFERRED: 0, UNCLEAN: 1 };


/** LeaderElectionCommandOptions.validate: the failures Kafka raises as AdminCommandFailedException. */
function validate(options: ParsedOptions): string {
  const missing = ['bootstrap-server', 'election-type'].filter((o) => !options.has(o));
  if (missing.length > 0) throw new ValidationError(`Missing required option(s): ${missing.join(', ')}`);
  const type = options.value('election-type')!.toUpperCase();
  if (!(type in ELECTION_TYPES)) throw new UsageError(`Cannot parse argument '${options.value('election-type')}' of option election-type`);
  const exclusive = ['topic', 'all-topic-partitions', 'path-to-json-file'];
  if (exclusive.filter((o) => options.has(o)).length !== 1) throw new ValidationError(`One and only one of the following options is required: ${exclusive.join(', ')}`);
  if (options.has('topic') && !options.has('partition')) throw new ValidationError('Missing required option(s): partition');
  if (!options.has('topic') && options.has('partition')) throw new ValidationError('Option partition is only allowed if topic is used');
  return type;
}

/** A failure LeaderElectionCommand prints as its message alone, on stderr. */
class ValidationError extends Error {}

/** The partitions of --path-to-json-file; a partition listed twice is refused. */
export function parseElectionJson(json: unknown): TopicPartition[] {
  if (json === undefined) throw new UncaughtError(ADMIN_OPERATION, 'Replica election data is empty');
  const partitions = partitionEntries(json, 'Replica election data is missing "partitions" field').map((e) => ({ topic: asString(field(e, 'topic')), partition: asInt(field(e, 'partition')) }));
  const names = partitions.map(tpName);
  const duplicates = topicPartitionOrder(partitions.filter((tp, i) => names.indexOf(tpName(tp)) !== i));
  if (duplicates.length > 0) throw new UncaughtError(ADMIN_OPERATION, `Replica election data contains duplicate partitions: [${[...new Set(duplicates.map(tpName))].join(', ')}]`);
  return partitions;
}

export async function main(options: ParsedOptions): Promise<number> {
  let client: ClusterClient | undefined;
  try {
    const type = validate(options);
    let partitions: TopicPartition[] | null = null;
    if (options.has('path-to-json-file')) partitions = parseElectionJson(readJsonFile(options.value('path-to-json-file')!));
    else if (options.has('topic')) partitions = [{ topic: options.value('topic')!, partition: options.int('partition')! }];
    client = await connectCluster(options, 'kafka-leader-election', 'admin.config');
    return await electLeaders(client, type, partitions);
  } catch (err) {
    if (!(err instanceof UncaughtError || err instanceof ValidationError || err instanceof KafkaApiError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 1;
  } finally {
    client?.close();
  }
}

async function electLeaders(client: ClusterClient, type: string, partitions: TopicPartition[] | null): Promise<number> {
  const topics = new Map<string, number[]>();
  for (const tp of partitions ?? []) topics.set(tp.topic, [...(topics.get(tp.topic) ?? []), tp.partition]);
  const res = await client.request(
    Apis.ElectLeaders,
    {
      electionType: ELECTION_TYPES[type],
      topicPartitions: partitions === null ? null : [...topics].map(([topic, ids]) => ({ topic, partitions: ids })),
      timeoutMs: client.requestTimeoutMs,
    },
    { to: 'controller', minVersion: type === 'UNCLEAN' ? 1 : 0 },
  );
  if (res.errorCode === ErrorCode.CLUSTER_AUTHORIZATION_FAILED) {
    process.stdout.write('Not authorized to perform leader election\n');
    throw new ValidationError('Not authorized to perform leader election');
  }
  if (res.errorCode !== ErrorCode.NONE) throw new KafkaApiError(res.errorCode);
  const succeeded: TopicPartition[] = [];
  const noop: TopicPartition[] = [];
  const failed: [TopicPartition, KafkaApiError][] = [];
  for (const t of res.replicaElectionResults) {
    for (const p of t.partitionResult) {
      const tp = { topic: t.topic, partition: p.partitionId };
      if (p.errorCode === ErrorCode.NONE) succeeded.push(tp);
      else if (p.errorCode === ErrorCode.ELECTION_NOT_NEEDED) noop.push(tp);
      else failed.push([tp, new KafkaApiError(p.errorCode, p.errorMessage)]);
    }
  }
  if (succeeded.length > 0) process.stdout.write(`Successfully completed leader election (${type}) for partitions ${topicPartitionOrder(succeeded).map(tpName).join(', ')}\n`);
  if (noop.length > 0) process.stdout.write(`Valid replica already elected for partitions ${topicPartitionOrder(noop).map(tpName).join(', ')}\n`);
  if (failed.length === 0) return 0;
  for (const [tp, err] of javaHashOrder(failed, ([tp]) => topicPartitionHash(tp.topic, tp.partition))) {
    process.stdout.write(`Error completing leader election (${type}) for partition: ${tpName(tp)}: ${err.toString()}\n`);
  }
  process.stderr.write(`${failed.length} replica(s) could not be elected\n`);
  return 1;
}
