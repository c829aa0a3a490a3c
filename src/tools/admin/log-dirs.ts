// kafka-log-dirs.sh, as Kafka 3.9's LogDirsCommand: asks each broker (--broker-list, else all) for
// its log directories with DescribeLogDirs and prints them as one JSON line, keys and entries in
// the order Jackson writes Kafka's HashMaps, partitions optionally limited to --topic-list.

import { Apis, ErrorCode, exceptionClassName } from '../../../protocol';
import { ClusterClient } from '../../client/cluster-client';
import { ParsedOptions, ToolCommand, UsageError } from '../command-line';
import { connectCluster } from '../cluster-options';
import { KafkaApiError } from '../kafka-api-error';
import { javaHashMapJson, javaHashOrder, stringHash, topicPartitionHash } from '../java-order';

export const command = new ToolCommand('This tool helps to query log directory usage on the specified brokers.', [
  { name: 'bootstrap-server', arg: 'String: The server(s) to use for bootstrapping', description: 'REQUIRED: the server(s) to use for bootstrapping' },
  { name: 'command-config', arg: 'String: Admin client property file', description: 'Property file containing configs to be passed to Admin Client.' },
  { name: 'describe', description: 'Describe the specified log directories on the specified brokers.' },
  {
    name: 'topic-list',
    arg: 'String: Topic list',
    defaultValue: '',
    description: 'The list of topics to be queried in the form "topic1,topic2,topic3". All topics will be queried if no topic list is specified',
  },
  {
    name: 'broker-list',
    arg: 'String: Broker list',
    defaultValue: '',
    description: 'The list of brokers to be queried in the form "0,1,2". All brokers in the cluster will be queried if no broker list is specified',
  },
]);

/** A failure LogDirsCommand prints as its message alone. */
class TerseError extends Error {}

interface ReplicaInfo {
  topic: string;
  partition: number;
  size: bigint;
  offsetLag: bigint;
  isFuture: boolean;
}

interface LogDirDescription {
  logDir: string;
  errorCode: number;
  replicas: ReplicaInfo[];
}

const splitList = (text: string) => text.split(',').filter((s) => s !== '');

/** Integers in HashSet order (Integer.hashCode is the value). */
const intSetOrder = (ids: Iterable<number>) => javaHashOrder([...new Set(ids)], (id) => id);

export async function main(options: ParsedOptions): Promise<number> {
  for (const name of ['bootstrap-server', 'describe']) if (!options.has(name)) throw new UsageError(`Missing required argument "[${name}]"`);
  const topics = new Set(splitList(options.value('topic-list')!));
  const brokerTexts = splitList(options.value('broker-list')!);
  if (!brokerTexts.every((b) => /^[-+]?\d+$/.test(b))) throw new UsageError(`For input string: "${brokerTexts.find((b) => !/^[-+]?\d+$/.test(b))}"`);
  const inputBrokers = new Set(brokerTexts.map(Number));
  let client: ClusterClient | undefined;
  try {
    client = await connectCluster(options, 'log-dirs-tool');
    const clusterBrokers = new Set(client.brokers().map((b) => b.nodeId));
    const missing = [...inputBrokers].filter((b) => !clusterBrokers.has(b));
    if (missing.length > 0) {
      throw new TerseError(`ERROR: The given brokers do not exist from --broker-list: ${intSetOrder(missing).join(',')}. Current existent brokers: ${intSetOrder(clusterBrokers).join(',')}`);
    }
    const queried = intSetOrder(inputBrokers.size === 0 ? clusterBrokers : inputBrokers);
    process.stdout.write('Querying brokers for log directories information\n');
    const byBroker = new Map<number, LogDirDescription[]>();
    for (const broker of queried) byBroker.set(broker, await describeLogDirs(client, broker));
    process.stdout.write(`Received log directory information from brokers ${queried.join(',')}\n`);
    process.stdout.write(`${formatAsJson(byBroker, topics)}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof TerseError || err instanceof KafkaApiError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 1;
  } finally {
    client?.close();
  }
}

async function describeLogDirs(client: ClusterClient, broker: number): Promise<LogDirDescription[]> {
  const res = await client.request(Apis.DescribeLogDirs, { topics: null }, { to: broker });
  if (res.errorCode !== ErrorCode.NONE) throw new KafkaApiError(res.errorCode);
  return res.results.map((r) => ({
    logDir: r.logDir,
    errorCode: r.errorCode,
    replicas: r.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, size: p.partitionSize, offsetLag: p.offsetLag, isFuture: p.isFutureKey }))),
  }));
}

/** LogDirsCommand.formatAsJson: Jackson over HashMaps, so every object's keys and every list built from a map come in hash order. */
export function formatAsJson(byBroker: ReadonlyMap<number, readonly LogDirDescription[]>, topics: ReadonlySet<string>): string {
  const brokers = javaHashOrder([...byBroker.keys()], (id) => id).map((broker) => {
    const logDirs = javaHashOrder([...byBroker.get(broker)!], (d) => stringHash(d.logDir)).map((d) => {
      const replicas = javaHashOrder(
        d.replicas.filter((r) => topics.size === 0 || topics.has(r.topic)),
        (r) => topicPartitionHash(r.topic, r.partition),
      ).map((r) =>
        javaHashMapJson([
          ['partition', JSON.stringify(`${r.topic}-${r.partition}`)],
          ['size', String(r.size)],
          ['offsetLag', String(r.offsetLag)],
          ['isFuture', String(r.isFuture)],
        ]),
      );
      return javaHashMapJson([
        ['logDir', JSON.stringify(d.logDir)],
        ['error', d.errorCode === ErrorCode.NONE ? 'null' : JSON.stringify(exceptionClassName(d.errorCode))],
        ['partitions', `[${replicas.join(',')}]`],
      ]);
    });
    return javaHashMapJson([
      ['broker', String(broker)],
      ['logDirs', `[${logDirs.join(',')}]`],
    ]);
  });
  return javaHashMapJson([
    ['version', '1'],
    ['brokers', `[${brokers.join(',')}]`],
  ]);
}
