// Walking the record batches of a fetched records field: the consumers need offsets and counts only.

export interface BatchSpan {
  records: number;
  /** Offset after the last complete batch, or -1 when there was none. */
  nextOffset: number;
}

const BATCH_LENGTH_AT = 8;
const LAST_OFFSET_DELTA_AT = 23;
const RECORD_COUNT_AT = 57;
const LOG_OVERHEAD = 12;
const RECORD_BATCH_OVERHEAD = 61;

/** A fetch may end in a partial batch (cut at max bytes); it is ignored, as clients do. */
export function spanBatches(records: Buffer | null): BatchSpan {
  const span = { records: 0, nextOffset: -1 };
  if (!records) return span;
  for (let pos = 0; pos + RECORD_BATCH_OVERHEAD <= records.length; ) {
    const size = LOG_OVERHEAD + records.readInt32BE(pos + BATCH_LENGTH_AT);
    if (pos + size > records.length) break;
    span.records += records.readInt32BE(pos + RECORD_COUNT_AT);
    span.nextOffset = Number(records.readBigInt64BE(pos)) + records.readInt32BE(pos + LAST_OFFSET_DELTA_AT) + 1;
    pos += size;
  }
  return span;
}
