// Kafka's BrokerTopicStats: per-topic and all-topics counts of produce and fetch traffic, kept as
// plain numbers on the request path (one map lookup and a few additions per partition of a
// request, never per record) and read into Prometheus counters at scrape time.

import { ErrorCode } from '../../protocol';

/** What the produce and fetch handlers report, one call per partition of a request. */
export interface TopicMetrics {
  /** A partition of a produce request reached the log (Kafka's totalProduceRequestRate). */
  produceRequest(topic: string): void;
  /** Records appended to a partition (MessagesInPerSec, BytesInPerSec). */
  produced(topic: string, records: number, bytes: number): void;
  /** A partition's append failed with this error code (FailedProduceRequestsPerSec, BytesRejectedPerSec). */
  produceFailed(topic: string, bytes: number, errorCode: number): void;
  /** A partition of a fetch was answered (TotalFetchRequestsPerSec, FailedFetchRequestsPerSec, BytesOutPerSec). */
  fetched(topic: string | null, bytes: number, follower: boolean, errorCode: number): void;
}

export interface TopicCounts {
  messagesIn: number;
  bytesIn: number;
  bytesOut: number;
  bytesRejected: number;
  replicationBytesOut: number;
  totalProduceRequests: number;
  failedProduceRequests: number;
  totalFetchRequests: number;
  failedFetchRequests: number;
}

export type TopicCount = keyof TopicCounts;

function zero(): TopicCounts {
  return {
    messagesIn: 0,
    bytesIn: 0,
    bytesOut: 0,
    bytesRejected: 0,
    replicationBytesOut: 0,
    totalProduceRequests: 0,
    failedProduceRequests: 0,
    totalFetchRequests: 0,
    failedFetchRequests: 0,
  };
}

/** Errors Kafka's appendToLocalLog passes on without counting a failed produce request. */
const EXPECTED_PRODUCE_ERRORS: ReadonlySet<number> = new Set([
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  ErrorCode.NOT_LEADER_OR_FOLLOWER,
  ErrorCode.MESSAGE_TOO_LARGE,
  ErrorCode.RECORD_LIST_TOO_LARGE,
  ErrorCode.CORRUPT_MESSAGE,
  ErrorCode.KAFKA_STORAGE_ERROR,
]);

/** Errors the log's validation counts as rejected bytes (UnifiedLog.analyzeAndValidateRecords). */
const REJECTED_BYTES_ERRORS: ReadonlySet<number> = new Set([ErrorCode.MESSAGE_TOO_LARGE, ErrorCode.RECORD_LIST_TOO_LARGE, ErrorCode.CORRUPT_MESSAGE]);

/** Only unexpected errors count as failed fetches, as in Kafka's readFromLocalLog. */
const UNEXPECTED_FETCH_ERRORS: ReadonlySet<number> = new Set([ErrorCode.UNKNOWN_SERVER_ERROR, ErrorCode.CORRUPT_MESSAGE]);

export class TopicStats implements TopicMetrics {
  readonly all: TopicCounts = zero();
  private readonly byTopic = new Map<string, TopicCounts>();

  produceRequest(topic: string): void {
    this.of(topic).totalProduceRequests++;
    this.all.totalProduceRequests++;
  }

  produced(topic: string, records: number, bytes: number): void {
    const t = this.of(topic);
    t.messagesIn += records;
    t.bytesIn += bytes;
    this.all.messagesIn += records;
    this.all.bytesIn += bytes;
  }

  produceFailed(topic: string, bytes: number, errorCode: number): void {
    const t = this.of(topic);
    if (REJECTED_BYTES_ERRORS.has(errorCode)) {
      t.bytesRejected += bytes;
      this.all.bytesRejected += bytes;
    }
    if (EXPECTED_PRODUCE_ERRORS.has(errorCode)) return;
    t.failedProduceRequests++;
    this.all.failedProduceRequests++;
  }

  fetched(topic: string | null, bytes: number, follower: boolean, errorCode: number): void {
    const t = topic === null ? null : this.of(topic);
    const failed = UNEXPECTED_FETCH_ERRORS.has(errorCode) ? 1 : 0;
    this.all.totalFetchRequests++;
    this.all.failedFetchRequests += failed;
    // Followers' bytes are replication traffic (Kafka's updateBytesOut), not BytesOutPerSec.
    if (follower) this.all.replicationBytesOut += bytes;
    else this.all.bytesOut += bytes;
    if (!t) return;
    t.totalFetchRequests++;
    t.failedFetchRequests += failed;
    if (!follower) t.bytesOut += bytes;
  }

  topics(): IterableIterator<[string, TopicCounts]> {
    return this.byTopic.entries();
  }

  /** A deleted topic's counts go, as Kafka removes its BrokerTopicMetrics. */
  forget(topic: string): void {
    this.byTopic.delete(topic);
  }

  private of(topic: string): TopicCounts {
    let t = this.byTopic.get(topic);
    if (!t) this.byTopic.set(topic, (t = zero()));
    return t;
  }
}

/** For tests and tools that run handlers without a broker. */
export const NO_TOPIC_METRICS: TopicMetrics = {
  produceRequest: () => undefined,
  produced: () => undefined,
  produceFailed: () => undefined,
  fetched: () => undefined,
};
