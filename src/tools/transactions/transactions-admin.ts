// The admin calls kafka-transactions.sh makes, as Kafka's Admin client makes them: ListTransactions to
// every broker, DescribeTransactions to the transactional id's coordinator, DescribeProducers and
// WriteTxnMarkers (the abort) to the partition leader or a chosen broker. Failures carry the messages
// of Kafka's admin handlers, which the tool prints after its own prefix.
import { Apis, ErrorCode, errorName } from '../../../protocol';
import { ClusterClient } from '../../client/cluster-client';

export interface TransactionListing {
  transactionalId: string;
  producerId: bigint;
  state: string;
}

export interface TransactionDescription {
  coordinatorId: number;
  state: string;
  producerId: bigint;
  producerEpoch: number;
  transactionTimeoutMs: number;
  /** null when no transaction is open. */
  transactionStartTimeMs: number | null;
  topicPartitions: string[];
}

export interface ProducerState {
  producerId: bigint;
  producerEpoch: number;
  lastSequence: number;
  lastTimestamp: number;
  /** null when unknown (-1 on the wire). */
  coordinatorEpoch: number | null;
  currentTransactionStartOffset: number | null;
}

export interface AbortSpec {
  topic: string;
  partition: number;
  producerId: bigint;
  producerEpoch: number;
  coordinatorEpoch: number;
}

/** An admin call that failed; the message is what Kafka's exception would say. */
export class AdminError extends Error {}

const RETRIES = 20;
const RETRY_BACKOFF_MS = 100;
const TRANSACTION_STATES = ['Ongoing', 'PrepareAbort', 'PrepareCommit', 'CompleteAbort', 'CompleteCommit', 'Empty', 'PrepareEpochFence', 'Dead'];

/** The admin client's TransactionState.parse: names it does not know read as Unknown. */
function stateName(wire: string): string {
  return TRANSACTION_STATES.includes(wire) ? wire : 'Unknown';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function abortSpecText(s: AbortSpec): string {
  return `AbortTransactionSpec(topicPartition=${s.topic}-${s.partition}, producerId=${s.producerId}, producerEpoch=${s.producerEpoch}, coordinatorEpoch=${s.coordinatorEpoch})`;
}

/** Every broker's transactions, by broker id (ascending, as the admin's HashMap of small ids iterates). */
export async function listTransactions(client: ClusterClient, producerIdFilters: bigint[] = []): Promise<Map<number, TransactionListing[]>> {
  await client.refreshMetadata();
  const byBroker = new Map<number, TransactionListing[]>();
  for (const broker of client.brokers()) {
    for (let attempt = 0; ; attempt++) {
      const res = await client.request(Apis.ListTransactions, { stateFilters: [], producerIdFilters }, { to: broker.nodeId });
      if (res.errorCode === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS && attempt < RETRIES) {
        await sleep(RETRY_BACKOFF_MS);
        continue;
      }
      if (res.errorCode !== ErrorCode.NONE) throw new AdminError(`ListTransactions request sent to broker ${broker.nodeId} failed: ${errorName(res.errorCode)}`);
      byBroker.set(
        broker.nodeId,
        res.transactionStates.map((t) => ({ transactionalId: t.transactionalId, producerId: t.producerId, state: stateName(t.transactionState) })),
      );
      break;
    }
  }
  return byBroker;
}

export async function describeTransaction(client: ClusterClient, transactionalId: string): Promise<TransactionDescription> {
  for (let attempt = 0; ; attempt++) {
    const coordinatorId = await client.coordinator(transactionalId, 1);
    const res = await client.request(Apis.DescribeTransactions, { transactionalIds: [transactionalId] }, { to: coordinatorId });
    const t = res.transactionStates.find((s) => s.transactionalId === transactionalId);
    if (t === undefined) throw new AdminError(`DescribeTransactions response did not include transactionalId \`${transactionalId}\``);
    const retriable = [ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_NOT_AVAILABLE].includes(t.errorCode);
    if (retriable && attempt < RETRIES) {
      await sleep(RETRY_BACKOFF_MS);
      continue;
    }
    switch (t.errorCode) {
      case ErrorCode.NONE:
        return {
          coordinatorId,
          state: stateName(t.transactionState),
          producerId: t.producerId,
          producerEpoch: t.producerEpoch,
          transactionTimeoutMs: t.transactionTimeoutMs,
          transactionStartTimeMs: t.transactionStartTimeMs < 0n ? null : Number(t.transactionStartTimeMs),
          topicPartitions: t.topics.flatMap((topic) => topic.partitions.map((p) => `${topic.topic}-${p}`)).sort(),
        };
      case ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED:
        throw new AdminError(`DescribeTransactions request for transactionalId \`${transactionalId}\` failed due to authorization failure`);
      case ErrorCode.TRANSACTIONAL_ID_NOT_FOUND:
        throw new AdminError(`DescribeTransactions request for transactionalId \`${transactionalId}\` failed because the ID could not be found`);
      default:
        throw new AdminError(`DescribeTransactions request for transactionalId \`${transactionalId}\` failed due to unexpected error`);
    }
  }
}

/** The partition's leader, from Metadata; an unknown partition fails as the broker would answer it. */
export async function leaderOf(client: ClusterClient, topic: string, partition: number): Promise<number> {
  const md = await client.metadata([topic]);
  const t = md.topics.find((x) => x.name === topic);
  const p = t?.partitions.find((x) => x.partitionIndex === partition);
  if (t === undefined || t.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION || p === undefined) {
    throw new AdminError('This server does not host this topic-partition.');
  }
  if (t.errorCode === ErrorCode.TOPIC_AUTHORIZATION_FAILED) {
    throw new AdminError(`Failed to describe active producers for partition ${topic}-${partition} due to authorization failure on topic \`${topic}\``);
  }
  if (p.leaderId < 0) throw new AdminError(`There is no leader for this topic-partition as we are in the middle of a leadership election.`);
  return p.leaderId;
}

/** DescribeProducers for partitions of one broker (the leader of each, or `brokerId`). */
export async function describeProducers(
  client: ClusterClient,
  partitions: { topic: string; partition: number }[],
  brokerId: number | null,
): Promise<Map<string, ProducerState[]>> {
  const byBroker = new Map<number, { topic: string; partition: number }[]>();
  for (const tp of partitions) {
    const target = brokerId ?? (await leaderOf(client, tp.topic, tp.partition));
    byBroker.set(target, [...(byBroker.get(target) ?? []), tp]);
  }
  const result = new Map<string, ProducerState[]>();
  for (const [target, tps] of byBroker) {
    const topics = [...new Set(tps.map((tp) => tp.topic))].map((name) => ({ name, partitionIndexes: tps.filter((tp) => tp.topic === name).map((tp) => tp.partition) }));
    const res = await client.request(Apis.DescribeProducers, { topics }, { to: target });
    for (const topic of res.topics) {
      for (const p of topic.partitions) {
        const tp = `${topic.name}-${p.partitionIndex}`;
        if (p.errorCode !== ErrorCode.NONE) throw new AdminError(producerErrorMessage(tp, p.errorCode, p.errorMessage, brokerId));
        result.set(
          tp,
          p.activeProducers.map((a) => ({
            producerId: a.producerId,
            producerEpoch: a.producerEpoch,
            lastSequence: a.lastSequence,
            lastTimestamp: Number(a.lastTimestamp),
            coordinatorEpoch: a.coordinatorEpoch < 0 ? null : a.coordinatorEpoch,
            currentTransactionStartOffset: a.currentTxnStartOffset < 0n ? null : Number(a.currentTxnStartOffset),
          })),
        );
      }
    }
  }
  return result;
}

/** DescribeProducersHandler's messages. */
function producerErrorMessage(tp: string, code: number, message: string | null, brokerId: number | null): string {
  switch (code) {
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
      return brokerId !== null ? `Failed to describe active producers for partition ${tp} on brokerId ${brokerId}` : 'This server is not the leader for that topic-partition.';
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
      return message ?? 'This server does not host this topic-partition.';
    case ErrorCode.INVALID_TOPIC_EXCEPTION:
      return `Failed to fetch metadata for partition ${tp} due to invalid topic error: ${message ?? 'The request attempted to perform an operation on an invalid topic.'}`;
    case ErrorCode.TOPIC_AUTHORIZATION_FAILED:
      return `Failed to describe active producers for partition ${tp} due to authorization failure on topic \`${tp.slice(0, tp.lastIndexOf('-'))}\``;
    default:
      return `Failed to describe active producers for partition ${tp} due to unexpected error`;
  }
}

/** WriteTxnMarkers with one ABORT marker, to the partition leader, as Admin.abortTransaction sends it. */
export async function abortTransaction(client: ClusterClient, spec: AbortSpec): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const leader = await leaderOf(client, spec.topic, spec.partition);
    const res = await client.request(
      Apis.WriteTxnMarkers,
      {
        markers: [
          {
            producerId: spec.producerId,
            producerEpoch: spec.producerEpoch,
            transactionResult: false,
            topics: [{ name: spec.topic, partitionIndexes: [spec.partition] }],
            coordinatorEpoch: spec.coordinatorEpoch,
          },
        ],
      },
      { to: leader },
    );
    const code = res.markers[0]?.topics[0]?.partitions[0]?.errorCode;
    if (code === undefined) throw new AdminError(`WriteTxnMarkers response included unexpected marker entries (expected to find exactly one entry with producerId ${spec.producerId})`);
    const text = abortSpecText(spec);
    switch (code) {
      case ErrorCode.NONE:
        return;
      case ErrorCode.CLUSTER_AUTHORIZATION_FAILED:
        throw new AdminError(`WriteTxnMarkers request with ${text} failed due to cluster authorization error`);
      case ErrorCode.INVALID_PRODUCER_EPOCH:
        throw new AdminError(`WriteTxnMarkers request with ${text} failed due an invalid producer epoch`);
      case ErrorCode.TRANSACTION_COORDINATOR_FENCED:
        throw new AdminError(`WriteTxnMarkers request with ${text} failed since the provided coordinator epoch ${spec.coordinatorEpoch} has been fenced by the active coordinator`);
      case ErrorCode.NOT_LEADER_OR_FOLLOWER:
      case ErrorCode.REPLICA_NOT_AVAILABLE:
      case ErrorCode.BROKER_NOT_AVAILABLE:
      case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
        if (attempt < RETRIES) {
          await sleep(RETRY_BACKOFF_MS);
          continue;
        }
        throw new AdminError(`WriteTxnMarkers request with ${text} failed due to ${errorName(code)}`);
      default:
        throw new AdminError(`WriteTxnMarkers request with ${text} failed due to unexpected error: ${errorName(code)}`);
    }
  }
}
