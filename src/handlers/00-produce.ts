// Produce (key 0), v0-11.
// Each partition's records are validated (header, CRC, size against max.message.bytes, v2-only from
// v3, keys on compacted topics) and appended as they arrived, offsets assigned in place. Appends run
// before the handler yields, so pipelined produces on one connection land in request order. Produce
// never creates topics. acks must be -1, 0 or 1; acks=0 gets no response at all. Record errors
// (v8+) name the records a compacted topic refused. Standalone: the ISR is this broker alone, so
// acks=-1 is satisfied by the local append.

import { Apis, ErrorCode, KafkaError } from '../../protocol';
import { InvalidRecordsError, RecordError, validateProduceRecords } from '../produce/records-validator';
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

export default handler(Apis.Produce, 0, 11, (req, ctx) => {
  const { broker, version } = ctx;
  const validAcks = req.acks === -1 || req.acks === 0 || req.acks === 1;

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
      if (!validAcks) {
        result.errorCode = ErrorCode.INVALID_REQUIRED_ACKS;
        return result;
      }
      try {
        const log = broker.leaderLog(topic.name, p.index);
        const config = broker.logConfig(topic.name);
        const records = p.records ?? Buffer.alloc(0);
        const batches = validateProduceRecords(records, {
          produceVersion: version,
          maxMessageBytes: config.maxMessageBytes,
          compacted: config.cleanupPolicy.includes('compact'),
          topicPartition: `${topic.name}-${p.index}`,
        });
        result.logStartOffset = BigInt(log.logStartOffset);
        if (batches.length === 0) return result;
        const appended = log.append(batches, {
          leaderEpoch: broker.leaderEpoch(topic.name, p.index),
          timestampType: config.messageTimestampType === 'LogAppendTime' ? 1 : 0,
          now: Date.now(),
        });
        result.baseOffset = BigInt(appended.firstOffset);
        result.logAppendTimeMs = BigInt(appended.logAppendTime);
        result.logStartOffset = BigInt(log.logStartOffset);
      } catch (err) {
        if (!(err instanceof KafkaError)) {
          broker.log.error(`Error appending to ${topic.name}-${p.index}: ${err instanceof Error ? err.stack : err}`);
          result.errorCode = ErrorCode.UNKNOWN_SERVER_ERROR;
          return result;
        }
        result.errorCode = err.code;
        if (version >= 8) {
          result.errorMessage = err.message;
          if (err instanceof InvalidRecordsError) result.recordErrors = err.recordErrors;
        }
      }
      return result;
    }),
  }));

  if (req.acks === 0) return null;
  return { responses, throttleTimeMs: 0 };
});
