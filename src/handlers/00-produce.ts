// Produce (key 0), v0-11.
// Each partition's records are validated (header, CRC, size against max.message.bytes, v2-only from
// v3, keys on compacted topics) and appended as they arrived, offsets assigned in place. Appends run
// before the handler yields, so pipelined produces on one connection land in request order. Produce
// never creates topics. acks must be -1, 0 or 1; acks=0 gets no response at all, acks=1 answers
// after the local append. acks=-1 refuses to append while the ISR is smaller than
// min.insync.replicas (NOT_ENOUGH_REPLICAS) and answers once the high watermark passed the records,
// or with REQUEST_TIMED_OUT after timeout_ms. Record errors (v8+) name the records a compacted topic
// refused. Idempotent and transactional batches (v3+) go through the log's producer state: sequence
// and epoch errors (OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH, INVALID_TXN_STATE) fail
// the partition; a retried batch among its producer's last five is not written again and is answered,
// as by Kafka, with the original base offset and its timestamp as log_append_time. With
// transaction.partition.verification.enable (KIP-890, on by default) a transactional write that would
// open a transaction in a partition is appended only once the coordinator confirmed the partition is
// in the transaction; the other partitions of the request do not wait for it. Transactional records
// without a transactional_id, or whose transactional_id the principal may not WRITE, fail every
// partition with TRANSACTIONAL_ID_AUTHORIZATION_FAILED, as Kafka answers them; a topic the principal
// may not WRITE fails its partitions with TOPIC_AUTHORIZATION_FAILED, before anything else is looked
// at (so an unknown topic is not told from a forbidden one).

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { AclOperation, ResourceType } from '../auth/authorizer';
import type { PartitionLog } from '../log/partition-log';
import { InvalidRecordsError, RecordError, hasTransactionalBatch, validateProduceRecords } from '../produce/records-validator';
import { PendingVerification, startVerification, verificationFailure } from '../produce/transaction-verification';
import type { Replication } from '../replication/replica-manager';
import type { TransactionHandling } from '../txn/transaction-handling';
import { authorized, topicAuthorizer } from './authorize';
import { handler } from './handler';

interface PartitionResult {
  index: number;
  errorCode: number;
  baseOffset: bigint;
  logAppendTimeMs: bigint;
  logStartOffset: bigint;
  recordErrors: RecordError[];
  errorMessage: string | null;
}

interface Verifying extends PendingVerification {
  result: PartitionResult;
  topic: string;
  partition: number;
  log: PartitionLog;
  batches: Buffer;
}

interface Replicating {
  result: PartitionResult;
  topic: string;
  partition: number;
  /** The offset after the appended records: the high watermark must reach it. */
  endOffset: number;
}

export default handler(Apis.Produce, 0, 11, (req, ctx) => {
  const { version } = ctx;
  const validAcks = req.acks === -1 || req.acks === 0 || req.acks === 1;
  // Looked for only when it can matter: without an id, or with an authorizer to ask about the id.
  const transactional =
    (req.transactionalId === null || ctx.authorizer.enabled) && req.topicData.some((t) => t.partitionData.some((p) => hasTransactionalBatch(p.records)));
  const txnRefused =
    transactional && (req.transactionalId === null || !authorized(ctx, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, req.transactionalId));
  const writable = topicAuthorizer(ctx, AclOperation.WRITE);
  const verifying: Verifying[] | null = req.transactionalId !== null && ctx.config.transactionPartitionVerificationEnable ? [] : null;
  const replicating: Replicating[] = [];
  const failed = (result: PartitionResult, err: KafkaError) => {
    result.errorCode = err.code;
    if (version >= 8) {
      result.errorMessage = err.message;
      if (err instanceof InvalidRecordsError) result.recordErrors = err.recordErrors;
    }
  };
  const unexpected = (result: PartitionResult, where: string, err: unknown) => {
    if (err instanceof KafkaError) return failed(result, err);
    ctx.log.error(`Error appending to ${where}: ${err instanceof Error ? err.stack : err}`);
    result.errorCode = ErrorCode.UNKNOWN_SERVER_ERROR;
  };
  const append = (result: PartitionResult, topic: string, partition: number, log: PartitionLog, batches: Buffer, verified?: Verifying) => {
    if (req.acks === -1) ctx.replication.checkEnoughReplicas(topic, partition);
    const appended = log.append(batches, {
      leaderEpoch: ctx.partitions.leaderEpoch(topic, partition),
      timestampType: log.config.messageTimestampType === 'LogAppendTime' ? 1 : 0,
      now: ctx.clock.now(),
      verificationGuards: verified && new Map([[verified.producerId, verified.guard]]),
    });
    ctx.metrics.produced(topic, appended.recordCount, batches.length);
    result.baseOffset = BigInt(appended.firstOffset);
    result.logAppendTimeMs = BigInt(appended.logAppendTime);
    result.logStartOffset = BigInt(log.logStartOffset);
    if (req.acks === -1) replicating.push({ result, topic, partition, endOffset: appended.lastOffset + 1 });
  };

  const responses = req.topicData.map((topic) => ({
    name: topic.name,
    partitionResponses: topic.partitionData.map((p): PartitionResult => {
      const result: PartitionResult = {
        index: p.index,
        errorCode: ErrorCode.NONE,
        baseOffset: -1n,
        logAppendTimeMs: -1n,
        logStartOffset: -1n,
        recordErrors: [],
        errorMessage: null,
      };
      // Kafka refuses the whole request for this before it looks at acks.
      if (txnRefused) {
        failed(result, new KafkaError(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, 'Transactional Id authorization failed.'));
        return result;
      }
      if (!writable(topic.name)) {
        result.errorCode = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
        return result;
      }
      if (!validAcks) {
        result.errorCode = ErrorCode.INVALID_REQUIRED_ACKS;
        return result;
      }
      try {
        ctx.metrics.produceRequest(topic.name);
        const log = ctx.partitions.leaderLog(topic.name, p.index);
        const { config } = log;
        const records = p.records ?? Buffer.alloc(0);
        const batches = validateProduceRecords(records, {
          produceVersion: version,
          maxMessageBytes: config.maxMessageBytes,
          compacted: config.cleanupPolicy.includes('compact'),
          topicPartition: `${topic.name}-${p.index}`,
        });
        result.logStartOffset = BigInt(log.logStartOffset);
        if (batches.length === 0) return result;
        const verification = verifying && startVerification(log, batches);
        if (verification) verifying!.push({ ...verification, result, topic: topic.name, partition: p.index, log, batches });
        else append(result, topic.name, p.index, log, batches);
      } catch (err) {
        unexpected(result, `${topic.name}-${p.index}`, err);
        ctx.metrics.produceFailed(topic.name, p.records?.length ?? 0, result.errorCode);
      }
      return result;
    }),
  }));

  const respond = () => {
    if (req.acks === 0) return null;
    if (replicating.length === 0) return { responses, throttleTimeMs: 0 };
    return awaitReplication(ctx.replication, replicating, req.timeoutMs, failed).then(() => ({ responses, throttleTimeMs: 0 }));
  };
  if (!verifying?.length) return respond();
  return verifyThenAppend(ctx.transactions, req.transactionalId!, verifying, failed, unexpected, append).then(respond);
});

/** Asks the coordinator about the partitions awaiting verification, then appends those it confirmed. */
async function verifyThenAppend(
  transactions: TransactionHandling,
  transactionalId: string,
  verifying: Verifying[],
  failed: (result: PartitionResult, err: KafkaError) => void,
  unexpected: (result: PartitionResult, where: string, err: unknown) => void,
  append: (result: PartitionResult, topic: string, partition: number, log: PartitionLog, batches: Buffer, verified: Verifying) => void,
): Promise<void> {
  const { producerId, producerEpoch } = verifying[0];
  const answers = await transactions.verifyTransaction(transactionalId, producerId, producerEpoch, verifying.map(({ topic, partition }) => ({ topic, partition })));
  verifying.forEach((v, i) => {
    const errorCode = answers[i]?.errorCode ?? ErrorCode.INVALID_TXN_STATE;
    if (errorCode !== ErrorCode.NONE) return failed(v.result, verificationFailure(errorCode));
    try {
      append(v.result, v.topic, v.partition, v.log, v.batches, v);
    } catch (err) {
      unexpected(v.result, `${v.topic}-${v.partition}`, err);
    }
  });
}

/** Kafka's DelayedProduce: each partition waits for its records to reach the ISR. */
async function awaitReplication(
  replication: Replication,
  replicating: Replicating[],
  timeoutMs: number,
  failed: (result: PartitionResult, err: KafkaError) => void,
): Promise<void> {
  await Promise.all(
    replicating.map(async ({ result, topic, partition, endOffset }) => {
      const err = await replication.waitForReplication(topic, partition, endOffset, timeoutMs);
      if (err) failed(result, err);
    }),
  );
}
