// A fetch's session id and epoch (KIP-227, Fetch v7+), as Kafka's FetchMetadata: what both the
// broker's session cache and a client's session handler read and advance.

/** No session: a sessionless fetch, or the answer of a full fetch that made none. */
export const INVALID_SESSION_ID = 0;
/** A full fetch that asks for a new session. */
export const INITIAL_EPOCH = 0;
/** A full fetch that wants no session (and closes the one it names). */
export const FINAL_EPOCH = -1;

export interface FetchMetadata {
  sessionId: number;
  epoch: number;
}

/** What a fetch asks of one partition, besides naming its topic (by name before v13, by id from v13). */
export interface FetchPartitionRequest {
  topicId: string;
  partition: number;
  fetchOffset: bigint;
  logStartOffset: bigint;
  partitionMaxBytes: number;
  currentLeaderEpoch: number;
  lastFetchedEpoch: number;
}

/** The epoch after `epoch`: wraps past int32 max to 1, and stays -1 once final. */
export function nextEpoch(epoch: number): number {
  if (epoch < 0) return FINAL_EPOCH;
  return epoch === 0x7fffffff ? 1 : epoch + 1;
}

/** Epochs 0 and -1 mark full fetches; any other continues a session. */
export function isFullFetch(metadata: FetchMetadata): boolean {
  return metadata.epoch === INITIAL_EPOCH || metadata.epoch === FINAL_EPOCH;
}
