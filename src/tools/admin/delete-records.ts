// kafka-delete-records.sh, as Kafka 3.9's DeleteRecordsCommand: deletes the records of each
// partition in --offset-json-file below its offset, asking each partition's leader, and prints
// "partition: t-0\tlow_watermark: N" or "partition: t-0\terror: <exception>" per partition, in the
// order of Kafka's result map.

import { Apis, ErrorCode } from '../../../protocol';
import { ClusterClient } from '../../client/cluster-client';
import { ParsedOptions, ToolCommand, UsageError } from '../command-line';
import { connectCluster } from '../cluster-options';
import { KafkaApiError } from '../kafka-api-error';
import { topicPartitionOrder } from '../java-order';
import { ADMIN_COMMAND_FAILED, ADMIN_OPERATION, UncaughtError, asInt, asLong, asString, field, partitionEntries, readJsonFile } from './partitions-json';

export const command = new ToolCommand('This tool helps to delete records of the given partitions down to the specified offset.', [
  { name: 'bootstrap-server', arg: 'String: server(s) to use for bootstrapping', description: 'REQUIRED: The server to connect to.' },
  {
    name: 'offset-json-file',
    arg: 'String: Offset json file path',
    description: 'REQUIRED: The JSON file with offset per partition. The format to use is:\n{"partitions":\n  [{"topic": "foo", "partition": 1, "offset": 1}],\n "version":1\n}',
  },
  { name: 'command-config', arg: 'String: command config property file path', description: 'A property file containing configs to be passed to Admin Client.' },
]);

interface RecordsToDelete {
  topic: string;
  partition: number;
  offset: bigint;
}

/** The offsets per partition; a partition listed twice is refused, naming every such partition. */
export function parseOffsetJson(json: unknown): RecordsToDelete[] {
  if (json === undefined) throw new UncaughtError(ADMIN_OPERATION, 'The input string is not a valid JSON');
  const version = typeof json === 'object' && json !== null && 'version' in json ? asInt((json as { version: unknown }).version) : 1;
  if (version !== 1) throw new UncaughtError(ADMIN_OPERATION, `Not supported version field value ${version}`);
  const entries = partitionEntries(json, 'Missing partitions field').map((e) => ({ topic: asString(field(e, 'topic')), partition: asInt(field(e, 'partition')), offset: asLong(field(e, 'offset')) }));
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const e of entries) {
    const key = `${e.topic}-${e.partition}`;
    if (seen.has(key)) duplicates.add(key);
    seen.add(key);
  }
  if (duplicates.size > 0) throw new UncaughtError(ADMIN_COMMAND_FAILED, `Offset json file contains duplicate topic partitions: ${[...duplicates].join(',')}`);
  return entries;
}

export async function main(options: ParsedOptions): Promise<number> {
  for (const name of ['bootstrap-server', 'offset-json-file']) if (!options.has(name)) throw new UsageError(`Missing required argument "[${name}]"`);
  let client: ClusterClient | undefined;
  try {
    const records = parseOffsetJson(readJsonFile(options.value('offset-json-file')!));
    client = await connectCluster(options, 'kafka-delete-records');
    process.stdout.write('Executing records delete operation\n');
    const results = await deleteRecords(client, records);
    process.stdout.write('Records delete operation completed:\n');
    for (const r of topicPartitionOrder(records)) {
      const result = results.get(`${r.topic}-${r.partition}`)!;
      process.stdout.write(typeof result === 'bigint' ? `partition: ${r.topic}-${r.partition}\tlow_watermark: ${result}\n` : `partition: ${r.topic}-${r.partition}\terror: ${result.toString()}\n`);
    }
    return 0;
  } catch (err) {
    if (!(err instanceof UncaughtError)) throw err;
    process.stderr.write(`${err.line()}\n`);
    return 1;
  } finally {
    client?.close();
  }
}

/** The new low watermark, or the error, of each partition by "topic-partition". */
async function deleteRecords(client: ClusterClient, records: readonly RecordsToDelete[]): Promise<Map<string, bigint | KafkaApiError>> {
  const results = new Map<string, bigint | KafkaApiError>();
  const metadata = await client.metadata([...new Set(records.map((r) => r.topic))]);
  const byLeader = new Map<number, RecordsToDelete[]>();
  for (const r of records) {
    const topic = metadata.topics.find((t) => t.name === r.topic);
    const partition = topic?.partitions.find((p) => p.partitionIndex === r.partition);
    if (!topic || topic.errorCode !== ErrorCode.NONE || !partition) {
      results.set(`${r.topic}-${r.partition}`, new KafkaApiError(topic && topic.errorCode !== ErrorCode.NONE ? topic.errorCode : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
    } else if (partition.leaderId < 0) {
      results.set(`${r.topic}-${r.partition}`, new KafkaApiError(ErrorCode.LEADER_NOT_AVAILABLE));
    } else {
      byLeader.set(partition.leaderId, [...(byLeader.get(partition.leaderId) ?? []), r]);
    }
  }
  for (const [leader, list] of byLeader) {
    const topics = new Map<string, { partitionIndex: number; offset: bigint }[]>();
    for (const r of list) topics.set(r.topic, [...(topics.get(r.topic) ?? []), { partitionIndex: r.partition, offset: r.offset }]);
    const res = await client.request(Apis.DeleteRecords, { topics: [...topics].map(([name, partitions]) => ({ name, partitions })), timeoutMs: client.requestTimeoutMs }, { to: leader });
    for (const t of res.topics) {
      for (const p of t.partitions) results.set(`${t.name}-${p.partitionIndex}`, p.errorCode === ErrorCode.NONE ? p.lowWatermark : new KafkaApiError(p.errorCode));
    }
  }
  return results;
}
