// Fakes for the transaction coordinator tests: an in-memory __transaction_state (appends really
// land, so a second coordinator can load them), a cluster view to move leaders in, a producer id
// store, and a marker sender whose answers the test controls.
import { ErrorCode, KafkaError } from '../../protocol/errors';
import { decodeBatch, forEachBatch } from '../../protocol/records/batch';
import type { TopicInfo } from '../../src/cluster/topic';
import type { CoordinatorServices } from '../../src/coordinator/coordinator-services';
import { partitionForKey } from '../../src/coordinator/key-partition';
import type { PartitionLog } from '../../src/log/partition-log';
import type { MarkerResults, MarkerSender, TxnMarker } from '../../src/txn/marker-channel';
import { ProducerIdBlock, ProducerIdManager, nextBlock } from '../../src/txn/producer-id-manager';
import { TransactionCoordinator, TransactionCoordinatorConfig } from '../../src/txn/transaction-coordinator';
import { TRANSACTION_STATE_TOPIC } from '../../src/txn/transaction-state-manager';
import { FakeClock } from '../helpers/fake-clock';

export const ME = 1;
export const TXN_PARTITIONS = 4;

export const CONFIG: TransactionCoordinatorConfig = {
  transactionStateLogNumPartitions: TXN_PARTITIONS,
  transactionStateLogReplicationFactor: 1,
  transactionStateLogMinIsr: 1,
  transactionStateLogSegmentBytes: 104857600,
  transactionMaxTimeoutMs: 900_000,
  transactionalIdExpirationMs: 604_800_000,
  transactionAbortTimedOutTransactionCleanupIntervalMs: 10_000,
  transactionRemoveExpiredTransactionCleanupIntervalMs: 3_600_000,
  offsetsTopicNumPartitions: 50,
};

/** A partition log in memory: appended batches get offsets, reads return whole batches from an offset. */
export class MemoryLog {
  readonly batches: Buffer[] = [];
  logStartOffset = 0;
  logEndOffset = 0;
  constructor(
    readonly topic: string,
    readonly partition: number,
  ) {}

  append(batch: Buffer) {
    const copy = Buffer.from(batch);
    copy.writeBigInt64BE(BigInt(this.logEndOffset), 0);
    const firstOffset = this.logEndOffset;
    this.logEndOffset += copy.readInt32BE(57);
    this.batches.push(copy);
    return { firstOffset, lastOffset: this.logEndOffset - 1 };
  }

  async read(offset: number) {
    const from = this.batches.filter((b) => Number(b.readBigInt64BE(0)) + b.readInt32BE(23) >= offset);
    return { records: Buffer.concat(from) };
  }

  /** Keys and values of every record, in order. */
  records(): { key: Buffer | null; value: Buffer | null }[] {
    const out: { key: Buffer | null; value: Buffer | null }[] = [];
    for (const b of this.batches) forEachBatch(b, (pos, size) => out.push(...decodeBatch(b.subarray(pos, pos + size)).records));
    return out;
  }
}

export class FakeMarkerSender implements MarkerSender {
  readonly sent: { brokerId: number; markers: TxnMarker[] }[] = [];
  /** Error per "topic-partition" for the next answers; NONE when absent. */
  errors = new Map<string, number>();
  /** Brokers that cannot be reached. */
  down = new Set<number>();
  /** While set, requests wait until the test calls `release()`. */
  holding = false;
  private held: (() => void)[] = [];

  async send(brokerId: number, markers: TxnMarker[]): Promise<MarkerResults> {
    this.sent.push({ brokerId, markers });
    if (this.holding) await new Promise<void>((r) => this.held.push(r));
    if (this.down.has(brokerId)) throw new Error(`broker ${brokerId} is down`);
    return markers.map((m) => ({
      producerId: m.producerId,
      topics: [...new Set(m.partitions.map((p) => p.topic))].map((name) => ({
        name,
        partitions: m.partitions
          .filter((p) => p.topic === name)
          .map((p) => ({ partitionIndex: p.partition, errorCode: this.errors.get(`${p.topic}-${p.partition}`) ?? ErrorCode.NONE })),
      })),
    }));
  }

  release(): void {
    this.held.splice(0).forEach((r) => r());
  }

  /** Every partition sent a marker, as "topic-partition:COMMIT|ABORT@epoch". */
  get markerLog(): string[] {
    return this.sent.flatMap((s) => s.markers.flatMap((m) => m.partitions.map((p) => `${p.topic}-${p.partition}:${m.commit ? 'COMMIT' : 'ABORT'}@${m.producerEpoch}`)));
  }
}

export function topic(name: string, partitions: number, leader = ME, leaderEpoch = 0): TopicInfo {
  return { name, id: name, configs: {}, partitions: Array.from({ length: partitions }, () => ({ replicas: [leader], isr: [leader], leader, leaderEpoch })) };
}

/** Lets promise chains run (markers, appends) without moving time. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
}

export interface ClusterFakes {
  clock: FakeClock;
  topics: Map<string, TopicInfo>;
  logs: Map<string, MemoryLog>;
  /** The next waits for the ISR answer this error. */
  replication: { error: KafkaError | null };
  blocks: ProducerIdBlock[];
  lines: string[];
}

export function clusterFakes(): ClusterFakes {
  const topics = new Map<string, TopicInfo>();
  topics.set(TRANSACTION_STATE_TOPIC, topic(TRANSACTION_STATE_TOPIC, TXN_PARTITIONS, ME, 5));
  topics.set('orders', topic('orders', 3, 2));
  topics.set('__consumer_offsets', topic('__consumer_offsets', 50, ME));
  return { clock: new FakeClock(), topics, logs: new Map(), replication: { error: null }, blocks: [], lines: [] };
}

/** Broker services over the fakes, as broker `brokerId` sees them. */
export function servicesOn(fakes: ClusterFakes, brokerId = ME): CoordinatorServices {
  const { clock, topics, logs, replication, lines } = fakes;
  const logOf = (t: string, p: number) => {
    const key = `${t}-${p}`;
    if (!logs.has(key)) logs.set(key, new MemoryLog(t, p));
    return logs.get(key)!;
  };
  const services: CoordinatorServices = {
    brokerId: () => brokerId,
    topic: (name) => topics.get(name),
    leaderLog: (t, p) => {
      if (topics.get(t)?.partitions[p]?.leader !== brokerId) throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, 'not the leader');
      return logOf(t, p) as unknown as PartitionLog;
    },
    localLog: (t, p) => logOf(t, p) as unknown as PartitionLog,
    leaderEpoch: (t, p) => topics.get(t)!.partitions[p].leaderEpoch,
    waitForReplication: async () => replication.error,
    createTopic: async (spec) => void topics.set(spec.name, topic(spec.name, spec.numPartitions, brokerId)),
    liveBrokerCount: () => 3,
    log: {
      info: (m) => void lines.push(`INFO ${m}`),
      warn: (m) => void lines.push(`WARN ${m}`),
      error: (m) => void lines.push(`ERROR ${m}`),
    },
    clock,
  };
  return services;
}

export function coordinatorOn(fakes: ClusterFakes, brokerId = ME, config: Partial<TransactionCoordinatorConfig> = {}) {
  const { blocks } = fakes;
  const services = servicesOn(fakes, brokerId);
  const sender = new FakeMarkerSender();
  const producerIds = new ProducerIdManager(brokerId, {
    claimBlock: async (id) => {
      const block = nextBlock(id, blocks[blocks.length - 1] ?? null);
      blocks.push(block);
      return block;
    },
  });
  const sendVerification = async () => {
    throw new Error('no other broker answers verifications here');
  };
  const coordinator = new TransactionCoordinator({ ...services, config: { ...CONFIG, ...config }, producerIds, markerSender: sender, sendVerification });
  return { coordinator, sender };
}

/** The __transaction_state partition of an id. */
export function txnPartitionOf(transactionalId: string): number {
  return partitionForKey(transactionalId, TXN_PARTITIONS);
}
