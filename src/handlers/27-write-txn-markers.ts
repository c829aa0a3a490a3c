// WriteTxnMarkers (key 27), v0-1.
// Sent by a transaction coordinator to the leaders of a transaction's partitions once the producer
// ended it: each marker's COMMIT or ABORT control batch is appended to every partition listed, with
// the partition's leader epoch, and answered once the ISR has it (acks=-1, request.timeout.ms), with
// an error per partition (UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER, NOT_ENOUGH_REPLICAS,
// TRANSACTION_COORDINATOR_FENCED, INVALID_PRODUCER_EPOCH, REQUEST_TIMED_OUT ...), which the
// coordinator retries or gives up on. Markers on __consumer_offsets partitions then complete the
// producer's pending transactional offset commits in the group coordinator, before the answer (as
// Kafka 3.8+ waits for it). As Kafka's response, errors are grouped by producer id. Only brokers holding
// CLUSTER_ACTION on the cluster may write markers: otherwise every partition is CLUSTER_AUTHORIZATION_FAILED.

import { Apis, ErrorCode, KafkaError, RequestOf } from '../../protocol';
import { AclOperation } from '../auth/authorizer';
import { OFFSETS_TOPIC } from '../groups/offsets-topic';
import { clusterAuthorized } from './authorize';
import { handler, RequestContext } from './handler';

/** Kafka's request.timeout.ms default: how long a marker waits for the ISR. */
const REQUEST_TIMEOUT_MS = 30_000;

type Marker = RequestOf<typeof Apis.WriteTxnMarkers>['markers'][number];

interface PartitionOutcome {
  topic: string;
  partition: number;
  errorCode: number;
}

export default handler(Apis.WriteTxnMarkers, 0, 1, async (req, ctx) => {
  // Only a transaction coordinator sends it: without CLUSTER_ACTION every partition is refused, as Kafka's error response.
  const outcomes = clusterAuthorized(ctx, AclOperation.CLUSTER_ACTION)
    ? await Promise.all(req.markers.map((m) => writeMarker(m, ctx)))
    : req.markers.map((m) => m.topics.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition, errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED }))));
  // One entry per producer id, its partitions' errors merged (the last error of a partition wins).
  const byProducer = new Map<bigint, Map<string, Map<number, number>>>();
  req.markers.forEach((m, i) => {
    let topics = byProducer.get(m.producerId);
    if (!topics) byProducer.set(m.producerId, (topics = new Map()));
    for (const o of outcomes[i]) {
      let partitions = topics.get(o.topic);
      if (!partitions) topics.set(o.topic, (partitions = new Map()));
      partitions.set(o.partition, o.errorCode);
    }
  });
  return {
    markers: [...byProducer].map(([producerId, topics]) => ({
      producerId,
      topics: [...topics].map(([name, partitions]) => ({
        name,
        partitions: [...partitions].map(([partitionIndex, errorCode]) => ({ partitionIndex, errorCode })),
      })),
    })),
  };
});

async function writeMarker(m: Marker, ctx: RequestContext): Promise<PartitionOutcome[]> {
  const commit = m.transactionResult;
  const marker = { producerId: m.producerId, producerEpoch: m.producerEpoch, coordinatorEpoch: m.coordinatorEpoch, commit };
  const outcomes = await Promise.all(
    m.topics.flatMap((t) =>
      t.partitionIndexes.map(async (partition): Promise<PartitionOutcome> => {
        const outcome = { topic: t.name, partition, errorCode: ErrorCode.NONE as number };
        let endOffset: number;
        try {
          const log = ctx.partitions.leaderLog(t.name, partition);
          ctx.replication.checkEnoughReplicas(t.name, partition);
          const info = log.appendEndTxnMarker(marker, { leaderEpoch: ctx.partitions.leaderEpoch(t.name, partition), now: ctx.clock.now() });
          endOffset = info.lastOffset + 1;
        } catch (err) {
          if (!(err instanceof KafkaError)) {
            ctx.log.error(`Writing a transaction marker to ${t.name}-${partition} failed: ${err instanceof Error ? err.stack : err}`);
            outcome.errorCode = ErrorCode.UNKNOWN_SERVER_ERROR;
          } else {
            outcome.errorCode = err.code;
          }
          return outcome;
        }
        const err = await ctx.replication.waitForReplication(t.name, partition, endOffset, REQUEST_TIMEOUT_MS);
        if (err) outcome.errorCode = err.code;
        return outcome;
      }),
    ),
  );
  const offsetsPartitions = outcomes.filter((o) => o.topic === OFFSETS_TOPIC && o.errorCode === ErrorCode.NONE);
  if (offsetsPartitions.length > 0) {
    try {
      await ctx.groups.completeTransaction(m.producerId, m.producerEpoch, offsetsPartitions.map((o) => o.partition), commit);
    } catch (err) {
      ctx.log.error(`Completing the transaction of producer ${m.producerId} in the group coordinator failed: ${err instanceof Error ? err.stack : err}`);
      for (const o of offsetsPartitions) o.errorCode = ErrorCode.UNKNOWN_SERVER_ERROR;
    }
  }
  return outcomes;
}
