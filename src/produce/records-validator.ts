// Checks a partition's records from a Produce request the way Kafka's LogValidator does for client
// data, and returns them as v2 batches ready for the log. v2 batches are checked by header and CRC
// only (no decompression, no per-record work) unless the topic is compacted, where every record
// needs a key. Batches with a producer id need a sequence number; control batches are refused.
// Legacy v0/v1 message sets are converted to a v2 batch, as Kafka 3.x stores v2.

import { ErrorCode, KafkaError } from '../../protocol';
import {
  RECORD_BATCH_OVERHEAD,
  batchAttributesAt,
  batchSizeAt,
  decodeBatch,
  forEachBatch,
  isControl,
  isTransactional,
  legacyToBatches,
  magicAt,
  readBatchHeader,
  validateBatch,
} from '../../protocol/records';

export interface RecordError {
  batchIndex: number;
  batchIndexErrorMessage: string | null;
}

/** A rejection that names the offending records (Produce v8+ record errors). */
export class InvalidRecordsError extends KafkaError {
  constructor(
    message: string,
    readonly recordErrors: RecordError[],
  ) {
    super(ErrorCode.INVALID_RECORD, message);
  }
}

export interface ValidationRules {
  produceVersion: number;
  maxMessageBytes: number;
  compacted: boolean;
  topicPartition: string;
}

export function validateProduceRecords(records: Buffer, rules: ValidationRules): Buffer {
  const legacy: number[] = [];
  let batches = 0;
  forEachBatch(records, (pos, size, magic) => {
    batches++;
    if (size > rules.maxMessageBytes) {
      throw new KafkaError(
        ErrorCode.MESSAGE_TOO_LARGE,
        `The request included a message larger than the max message size the server will accept (${size} > ${rules.maxMessageBytes}).`,
      );
    }
    if (magic < 2) {
      legacy.push(magic);
      return;
    }
    validateBatch(records, pos, size);
    const h = readBatchHeader(records, pos);
    if (isControl(h.attributes)) throw new KafkaError(ErrorCode.INVALID_RECORD, 'Clients are not allowed to write control records');
    if (h.producerId >= 0n && h.baseSequence < 0) {
      throw new KafkaError(
        ErrorCode.INVALID_RECORD,
        `Invalid sequence number ${h.baseSequence} in record batch with producerId ${h.producerId} in topic partition ${rules.topicPartition}.`,
      );
    }
  });
  if (rules.produceVersion >= 3) {
    if (legacy.length > 0) {
      throw new KafkaError(ErrorCode.INVALID_RECORD, `Produce requests with version ${rules.produceVersion} are only allowed to contain record batches with magic version 2`);
    }
    if (batches !== 1) {
      throw new KafkaError(ErrorCode.INVALID_RECORD, `Produce requests with version ${rules.produceVersion} must contain exactly one record batch`);
    }
  }
  const v2 = legacy.length > 0 ? legacyToBatches(records) : records;
  if (rules.compacted) requireKeys(v2, rules.topicPartition);
  return v2;
}

function requireKeys(batches: Buffer, topicPartition: string): void {
  const errors: RecordError[] = [];
  forEachBatch(batches, (pos) => {
    decodeBatch(batches, pos).records.forEach((r, i) => {
      if (r.key === null) errors.push({ batchIndex: i, batchIndexErrorMessage: 'Compacted topic cannot accept message without key.' });
    });
  });
  if (errors.length > 0) {
    throw new InvalidRecordsError(`Compacted topic cannot accept message without key in topic partition ${topicPartition}.`, errors);
  }
}

/** Whether any v2 batch is transactional (Kafka's ProduceRequest.hasTransactionalRecords); headers only, malformed bytes count as no. */
export function hasTransactionalBatch(records: Buffer | null): boolean {
  if (records === null) return false;
  for (let pos = 0; records.length - pos >= RECORD_BATCH_OVERHEAD; ) {
    const size = batchSizeAt(records, pos);
    if (size < RECORD_BATCH_OVERHEAD) return false;
    if (magicAt(records, pos) === 2 && isTransactional(batchAttributesAt(records, pos))) return true;
    pos += size;
  }
  return false;
}
