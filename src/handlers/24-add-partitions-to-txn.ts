// AddPartitionsToTxn (key 24), v0-5.
// v0-3 (clients): one transaction's partitions. v4+ (brokers, KIP-890): a batch of transactions,
// each added or, with verify_only, only checked (TRANSACTION_ABORTABLE for a partition not in the
// transaction). Partitions of unknown topics get UNKNOWN_TOPIC_OR_PARTITION and the others of that
// transaction OPERATION_NOT_ATTEMPTED; otherwise the coordinator's error applies to every partition.
// PRODUCER_FENCED is INVALID_PRODUCER_EPOCH before v2.

import { Apis, ErrorCode } from '../../protocol';
import type { TopicPartitionRef } from '../txn/transaction-handling';
import { RequestContext, handler } from './handler';
import { fencedForVersion } from './txn-errors';

const FIRST_FENCED_VERSION = 2;

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

async function addOne(txn: Txn, ctx: RequestContext): Promise<TopicResult[]> {
  const partitions = txn.topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.name, partition })));
  const known = (p: TopicPartitionRef) => ctx.metadata.topics.get(p.topic)?.partitions[p.partition] !== undefined;
  if (!partitions.every(known)) {
    return byTopic(partitions.map((p) => ({ ...p, errorCode: known(p) ? ErrorCode.OPERATION_NOT_ATTEMPTED : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION })));
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
  if (ctx.version < 4) {
    const txn = {
      transactionalId: req.v3AndBelowTransactionalId,
      producerId: req.v3AndBelowProducerId,
      producerEpoch: req.v3AndBelowProducerEpoch,
      verifyOnly: false,
      topics: req.v3AndBelowTopics,
    };
    return { throttleTimeMs: 0, resultsByTopicV3AndBelow: await addOne(txn, ctx) };
  }
  const resultsByTransaction = await Promise.all(
    req.transactions.map(async (txn) => ({ transactionalId: txn.transactionalId, topicResults: await addOne(txn, ctx) })),
  );
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, resultsByTransaction };
});
