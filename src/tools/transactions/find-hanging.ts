// kafka-transactions.sh find-hanging, after Kafka 3.9's FindHangingTransactionsCommand: open transactions
// (DescribeProducers) older than --max-transaction-timeout whose producer's coordinator no longer lists
// the partition (ListTransactions by producer id, then DescribeTransactions) are hanging.
import { ClusterClient } from '../../client/cluster-client';
import { ParsedArgs } from './arguments';
import { ProducerState, TransactionDescription, describeProducers, describeTransaction, listTransactions } from './transactions-admin';
import { CommandFailure, Out, failure, prettyTable } from './transactions-output';

const MINUTE_MS = 60_000;

interface OpenTransaction {
  topicPartition: string;
  topic: string;
  partition: number;
  producer: ProducerState;
}

/** The partitions find-hanging searches: one partition, one topic's, or every topic's, kept to replicas on --broker-id. */
async function partitionsToSearch(client: ClusterClient, topic: string | null, partition: number | null, brokerId: number | null): Promise<{ topic: string; partition: number }[]> {
  if (topic !== null && partition !== null) return [{ topic, partition }];
  let md;
  try {
    md = await client.metadata(topic === null ? null : [topic]);
  } catch (err) {
    throw failure(topic === null ? 'Failed to list topics' : 'Failed to describe 1 topics', err);
  }
  return md.topics
    .filter((t) => t.errorCode === 0 && t.name !== null)
    .flatMap((t) => t.partitions.filter((p) => brokerId === null || p.replicaNodes.includes(brokerId)).map((p) => ({ topic: t.name!, partition: p.partitionIndex })));
}

export async function findHanging(client: ClusterClient, args: ParsedArgs, out: Out, now: () => number): Promise<void> {
  const v = args.values;
  const brokerId = v.has('--broker-id') ? Number(v.get('--broker-id')) : null;
  const topic = v.get('--topic') ?? null;
  const partition = v.has('--partition') ? Number(v.get('--partition')) : null;
  if (topic === null && brokerId === null) throw new CommandFailure('The `find-hanging` command requires either --topic or --broker-id to limit the scope of the search');
  if (partition !== null && topic === null) throw new CommandFailure('The --partition argument requires --topic to be provided');
  const maxTimeoutMs = Number(v.get('--max-transaction-timeout')) * MINUTE_MS;

  const partitions = await partitionsToSearch(client, topic, partition, brokerId);
  const candidates: OpenTransaction[] = [];
  if (partitions.length > 0) {
    let states;
    try {
      states = await describeProducers(client, partitions, brokerId);
    } catch (err) {
      throw failure(`Failed to describe producers for ${partitions.length} partitions on broker ${brokerId === null ? 'Optional.empty' : `Optional[${brokerId}]`}`, err);
    }
    const at = now();
    for (const tp of partitions) {
      for (const p of states.get(`${tp.topic}-${tp.partition}`) ?? []) {
        if (p.currentTransactionStartOffset !== null && at - p.lastTimestamp > maxTimeoutMs) candidates.push({ topicPartition: `${tp.topic}-${tp.partition}`, ...tp, producer: p });
      }
    }
  }
  const hanging: OpenTransaction[] = [];
  if (candidates.length > 0) {
    const producerIds = [...new Set(candidates.map((c) => c.producer.producerId))];
    let transactionalIds: Map<bigint, string>;
    try {
      const listings = [...(await listTransactions(client, producerIds)).values()].flat();
      transactionalIds = new Map(listings.filter((l) => producerIds.includes(l.producerId)).map((l) => [l.producerId, l.transactionalId]));
    } catch (err) {
      throw failure(`Failed to list transactions for ${producerIds.length} producers`, err);
    }
    const descriptions = new Map<string, TransactionDescription | null>();
    for (const id of new Set(transactionalIds.values())) {
      try {
        descriptions.set(id, await describeTransaction(client, id));
      } catch (err) {
        if (!(err instanceof Error && err.message.includes('could not be found'))) throw failure(`Failed to describe ${transactionalIds.size} transactions`, err);
        descriptions.set(id, null);
      }
    }
    for (const c of candidates) {
      const id = transactionalIds.get(c.producer.producerId);
      const description = id === undefined ? null : descriptions.get(id) ?? null;
      // A partition the coordinator still lists will get its marker: only the others hang.
      if (description === null || !description.topicPartitions.includes(c.topicPartition)) hanging.push(c);
    }
  }
  const at = now();
  const rows = hanging.map((h) => [
    h.topic,
    String(h.partition),
    String(h.producer.producerId),
    String(h.producer.producerEpoch),
    String(h.producer.coordinatorEpoch ?? -1),
    String(h.producer.currentTransactionStartOffset ?? -1),
    String(h.producer.lastTimestamp),
    String(Math.floor((at - h.producer.lastTimestamp) / MINUTE_MS)),
  ]);
  out(prettyTable(['Topic', 'Partition', 'ProducerId', 'ProducerEpoch', 'CoordinatorEpoch', 'StartOffset', 'LastTimestamp', 'Duration(min)'], rows));
}

