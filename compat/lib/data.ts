// The records every client sends, so results are comparable across clients and languages
// (compat/lib/harness.py and compat/kafka-go/main.go use the same numbers).

/** Kafka's default message.max.bytes; kafka-ts uses the same default. */
export const MESSAGE_MAX_BYTES = 1048588;
/** A value whose batch stays just under the limit in any message format. */
export const NEAR_MAX_VALUE_BYTES = MESSAGE_MAX_BYTES - 200;
/** A value that alone is the limit, so its batch is over it in any message format. */
export const OVER_MAX_VALUE_BYTES = MESSAGE_MAX_BYTES;
/** Client-side size limits are raised to this so the broker, not the client, judges the size. */
export const CLIENT_SIZE_LIMIT = 4 * 1024 * 1024;

export const BATCH_SIZE = 200;
/** Records produced in one batch for fetch-mid-batch; consumption starts at MID_BATCH_OFFSET. */
export const MID_BATCH_COUNT = 10;
export const MID_BATCH_OFFSET = 5;

export interface SampleRecord {
  key: string;
  value: string;
}

/** Compressible but not uniform: each value repeats a letter a varying number of times. */
export function sampleRecords(n = BATCH_SIZE): SampleRecord[] {
  return Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `value-${i}-${'abcdefgh'[i % 8].repeat(i % 97)}` }));
}

/** The cluster scenarios' topic: 6 partitions with replication factor 3, so each broker leads two. */
export const CLUSTER_PARTITIONS = 6;
export const CLUSTER_REPLICATION = 3;
/** cluster-leader-routing: keyed records per partition. */
export const ROUTING_PER_PARTITION = 10;
/** cluster-broker-killed: records sent before the kill is asked for, and acknowledged ones needed after it. */
export const SENT_BEFORE_KILL = 50;
export const ACKED_AFTER_KILL = 100;

/** idempotent-retry: records sent one at a time through the flaky proxy. */
export const RETRY_RECORDS = 12;

/** transactional-producer: three transactions of TXN_RECORDS each, the middle one aborted. */
export const TXN_RECORDS = 5;

/** The values transactional-producer writes in transaction `t` (0, 1, 2); transaction 1 is aborted. */
export function txnValues(t: number): string[] {
  return Array.from({ length: TXN_RECORDS }, (_, i) => `${t === 1 ? 'aborted' : 'committed'}-${t}-${i}`);
}

/**
 * exactly-once-restart: EOS_INPUT input records; before the restart EOS_FIRST are transformed and
 * committed, then EOS_ABORTED more in a transaction that is aborted; after it, the rest.
 */
export const EOS_INPUT = 20;
export const EOS_FIRST = 10;
export const EOS_ABORTED = 5;

export const eosInput = (i: number): string => `in-${i}`;
/** The transformation: what consume-transform-produce writes for an input value. */
export const eosTransform = (value: string): string => value.replace(/^in-/, 'out-');

/** admin-create-partitions: a topic grown from 1 to GROWN_PARTITIONS; a record goes to the last one. */
export const GROWN_PARTITIONS = 3;
/** admin-delete-records: DELETE_RECORDS_COUNT records, those before DELETE_BEFORE_OFFSET deleted. */
export const DELETE_RECORDS_COUNT = 10;
export const DELETE_BEFORE_OFFSET = 4;

/** admin-broker-configs: what the broker reports, and the harmless cluster-wide default set and removed. */
export const INTER_BROKER_PROTOCOL_VERSION = '3.9-IV0';
export const BROKER_DEFAULT_NAME = 'background.threads';
export const BROKER_DEFAULT_VALUE = '12';

/** cluster-admin: the topic config changed, and the partition count the spread topic grows to. */
export const CLUSTER_RETENTION_MS = '7654321';
export const CLUSTER_GROWN_PARTITIONS = CLUSTER_PARTITIONS + 1;

/**
 * compaction: COMPACT_ROUNDS rounds of the same COMPACT_KEYS keys (value "round-key"), then a
 * tombstone for TOMBSTONE_KEY; records to ROLL_KEY keep coming so segment.ms rolls the active
 * segment and the cleaner keeps finding dirty segments. lib/compaction.ts judges what a reader saw.
 */
export const COMPACT_KEYS = 20;
export const COMPACT_ROUNDS = 3;
export const compactKey = (i: number): string => `key-${i}`;
export const compactValue = (round: number, key: string): string => `${round}-${key}`;
export const TOMBSTONE_KEY = compactKey(0);
export const ROLL_KEY = 'roll';
/** The compacted topic's configs; segment.bytes small so the rounds span several segments. */
export const COMPACT_TOPIC_CONFIGS: Record<string, string> = {
  'cleanup.policy': 'compact',
  'segment.ms': '100',
  'min.cleanable.dirty.ratio': '0.01',
  'delete.retention.ms': '100',
  'segment.bytes': '1024',
};
/** How long the scenario waits for the cleaner, inside the clients' 60 s scenario limit. */
export const COMPACTION_WAIT_MS = 40_000;

/** Every round's records and the tombstone, in send order; a null value is the tombstone. */
export function compactionRecords(): { key: string; value: string | null }[] {
  const rounds = Array.from({ length: COMPACT_ROUNDS }, (_, round) => Array.from({ length: COMPACT_KEYS }, (_, i) => ({ key: compactKey(i), value: compactValue(round, compactKey(i)) as string | null })));
  return [...rounds.flat(), { key: TOMBSTONE_KEY, value: null }];
}
