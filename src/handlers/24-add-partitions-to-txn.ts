// AddPartitionsToTxn (key 24), v0-5.
// v0-3 (clients): one transaction's partitions. v4+ (brokers, KIP-890): a batch of transactions,
// each added or, with verify_only, only checked (TRANSACTION_ABORTABLE for a partition not in the
// transaction). Partitions of unknown topics get UNKNOWN_TOPIC_OR_PARTITION and the others of that
// transaction OPERATION_NOT_ATTEMPTED; otherwise the coordinator's error applies to every partition.
// PRODUCER_FENCED is INVALID_PRODUCER_EPOCH before v2.
// Authorization as Kafka's: v4+ comes from brokers and needs CLUSTER_ACTION on the cluster (else the
// whole request is CLUSTER_AUTHORIZATION_FAILED); each transaction needs WRITE on its transactional id
// (else TRANSACTIONAL_ID_AUTHORIZATION_FAILED on its partitions); clients (v0-3) need WRITE on each
// topic, and may never add an internal topic: TOPIC_AUTHORIZATION_FAILED, the transaction's other
// partitions OPERATION_NOT_ATTEMPTED, as for unknown ones.

import { Apis, ErrorCode } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import { INTERNAL_TOPICS } from '../cluster/topic';
import type { TopicPartitionRef } from '../txn/transaction-handling';
import { authorized, clusterAuthorized, topicAuthorizer } from './authorize';
import { RequestContext, handler } from './handler';
import { fencedForVersion } from './txn-errors';

const FIRST_FENCED_VERSION = 2;

/** Brokers (v4+) add whatever their producers wrote. */
const BROKER_WRITABLE = () => true;

/** A client may add the topics it may WRITE, never an internal one. */
function clientWritable(ctx: RequestContext): (topic: string) => boolean {
  const writable = topicAuthorizer(ctx, AclOperation.WRITE);
  return (topic) => !INTERNAL_TOPICS.has(topic) && writable(topic);
}

interface Txn {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  verifyOnly: boolean;
  topics: { name: string; partitions: number[] }[];
}

type TopicResult = { name: string; resultsByPartition: { partitionIndex: number; partitionErrorCode: number }[] };

function byTopic(results: (TopicPartitionRef & { errorCode: number })[]): TopicResult[] {
  const topics = new Map<string, TopicResult>();
  for (const r of results) {
    const t = topics.get(r.topic) ?? { name: r.topic, resultsByPartition: [] };
    topics.set(r.topic, t);
    t.resultsByPartition.push({ partitionIndex: r.partition, partitionErrorCode: r.errorCode });
  }
  return [...topics.values()];
}

async function addOne(txn: Txn, ctx: RequestContext, writable: (topic: string) => boolean): Promise<TopicResult[]> {
  const partitions = txn.topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.name, partition })));
  if (!authorized(ctx, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, txn.transactionalId)) {
    return byTopic(partitions.map((p) => ({ ...p, errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED })));
  }
  const known = (p: TopicPartitionRef) => ctx.metadata.topics.get(p.topic)?.partitions[p.partition] !== undefined;
  const errorOf = (p: TopicPartitionRef) =>
    !writable(p.topic) ? ErrorCode.TOPIC_AUTHORIZATION_FAILED : known(p) ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  const errors = partitions.map(errorOf);
  if (errors.some((e) => e !== ErrorCode.NONE)) {
    return byTopic(partitions.map((p, i) => ({ ...p, errorCode: errors[i] || ErrorCode.OPERATION_NOT_ATTEMPTED })));
  }
  if (txn.verifyOnly) return byTopic(ctx.transactions.verifyPartitionsInTxn(txn.transactionalId, txn.producerId, txn.producerEpoch, partitions));
  const errorCode = fencedForVersion(
    await ctx.transactions.addPartitionsToTxn(txn.transactionalId, txn.producerId, txn.producerEpoch, partitions),
    ctx.version,
    FIRST_FENCED_VERSION,
  );
  return byTopic(partitions.map((p) => ({ ...p, errorCode })));
}

export default handler(Apis.AddPartitionsToTxn, 0, 5, async (req, ctx) => {
  // As Kafka's error response for v4+: the top-level error alone.
  if (ctx.version >= 4 && !clusterAuthorized(ctx, AclOperation.CLUSTER_ACTION)) {
    return { throttleTimeMs: 0, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, resultsByTransaction: [] };
  }
  if (ctx.version < 4) {
    const txn = {
      transactionalId: req.v3AndBelowTransactionalId,
      producerId: req.v3AndBelowProducerId,
      producerEpoch: req.v3AndBelowProducerEpoch,
      verifyOnly: false,
      topics: req.v3AndBelowTopics,
    };
    return { throttleTimeMs: 0, resultsByTopicV3AndBelow: await addOne(txn, ctx, clientWritable(ctx)) };
  }
  const resultsByTransaction = await Promise.all(
    req.transactions.map(async (txn) => ({ transactionalId: txn.transactionalId, topicResults: await addOne(txn, ctx, BROKER_WRITABLE) })),
  );
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, resultsByTransaction };
});
