// A Kafka producer on ClusterClient, as the Java client's KafkaProducer works without idempotence:
// records are appended to one open batch per partition (closed at batch.size bytes or after
// linger.ms), closed batches go to each partition's leader in one Produce request per broker (up to
// max.in.flight.requests.per.connection at a time), and each record's promise settles with its
// offset or error. A batch answered with a retriable error (a moved leader, an unknown partition,
// a timeout or a lost connection) is retried after retry.backoff.ms with fresh metadata until
// delivery.timeout.ms has passed since its first record was sent. With transactional.id it is a
// transactional producer (initTransactions, beginTransaction, commitTransaction, abortTransaction).

import { Apis, ErrorCode, KafkaError, errorName, isRetriable } from '../../protocol';
import { RecordHeader, RecordInput, buildBatch } from '../../protocol/records';
import { ClusterClient } from './cluster-client';
import { DEFAULT_PRODUCER_CONFIG, ProducerConfig } from './producer-config';
import { StickyPartitioner, partitionForKey } from './partitioner';
import { TopicLayout, TopicMetadata, sleep } from './topic-metadata';
import { TransactionManager } from './transaction-manager';

export { producerConfigFromProps } from './producer-config';
export type { ProducerConfig } from './producer-config';

export interface ProducerRecord {
  topic: string;
  /** Chosen by the partitioner when absent. */
  partition?: number;
  key?: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeader[];
  timestamp?: number;
}

export interface RecordMetadata {
  topic: string;
  partition: number;
  /** -1 with acks=0, whose requests get no answer. */
  offset: number;
  timestamp: number;
}

interface Waiter {
  resolve: (m: RecordMetadata) => void;
  reject: (err: Error) => void;
}

interface Batch {
  topic: string;
  partition: number;
  partitionCount: number;
  records: RecordInput[];
  waiters: Waiter[];
  bytes: number;
  createdMs: number;
  timer: NodeJS.Timeout | null;
  /** The batch as first sent; a retry resends it as it is, sequence numbers and all. */
  built: Buffer | null;
}

/** Rough size of a record in a batch: its bytes plus the varint framing. */
function sizeOf(r: ProducerRecord): number {
  let n = 21 + (r.key?.length ?? 0) + (r.value?.length ?? 0);
  for (const h of r.headers ?? []) n += 10 + h.key.length + (h.value?.length ?? 0);
  return n;
}

export class Producer {
  readonly config: ProducerConfig;
  private readonly metadata: TopicMetadata;
  private readonly sticky = new StickyPartitioner();
  private readonly open = new Map<string, Batch>();
  /** Closed batches waiting for their leader, oldest first. */
  private readyBatches: Batch[] = [];
  private readonly inFlight = new Map<number, number>();
  /** Records of topics whose metadata is being fetched, in send order. */
  private readonly awaitingMetadata = new Map<string, { record: ProducerRecord; waiter: Waiter }[]>();
  private bufferedBytes = 0;
  private unsettled = 0;
  private idleWaiters: (() => void)[] = [];
  private spaceWaiters: (() => void)[] = [];
  private draining = false;
  private flushing = 0;
  private closed = false;
  private readonly transactions: TransactionManager | null;

  constructor(
    private readonly client: ClusterClient,
    config: Partial<ProducerConfig> = {},
  ) {
    this.config = { ...DEFAULT_PRODUCER_CONFIG, ...config };
    this.metadata = new TopicMetadata(client, true);
    const c = this.config;
    this.transactions = c.transactionalId === null ? null : new TransactionManager(client, c.transactionalId, c.transactionTimeoutMs, c.retryBackoffMs, c.maxBlockMs);
  }

  /** Registers the transactional id with its coordinator, fencing older producers with it. */
  async initTransactions(): Promise<void> {
    await this.transactional().init();
  }

  beginTransaction(): void {
    this.transactional().begin();
  }

  /** Sends every record of the transaction, then commits it. */
  async commitTransaction(): Promise<void> {
    const t = this.transactional();
    await this.flush();
    await t.end(true);
  }

  /** Sends what is buffered, then aborts the transaction: consumers under read_committed never see it. */
  async abortTransaction(): Promise<void> {
    const t = this.transactional();
    await this.flush();
    await t.end(false);
  }

  private transactional(): TransactionManager {
    if (!this.transactions) throw new Error('Cannot use transactional methods without enabling transactions by setting the transactional.id configuration property');
    return this.transactions;
  }

  /** Queues the record; the promise settles when the broker has it (or it failed). */
  send(record: ProducerRecord): Promise<RecordMetadata> {
    if (this.closed) return Promise.reject(new Error('Cannot perform operation after producer has been closed'));
    return new Promise<RecordMetadata>((resolve, reject) => {
      this.unsettled++;
      const settle = () => {
        if (--this.unsettled === 0) this.notifyIdle();
      };
      const waiter: Waiter = {
        resolve: (m) => {
          settle();
          resolve(m);
        },
        reject: (e) => {
          settle();
          reject(e);
        },
      };
      const queued = this.awaitingMetadata.get(record.topic);
      if (queued) {
        queued.push({ record, waiter });
        return;
      }
      this.awaitingMetadata.set(record.topic, [{ record, waiter }]);
      this.metadata.layout(record.topic, this.config.maxBlockMs, this.config.retryBackoffMs).then(
        (layout) => this.releaseAwaiting(record.topic, layout, null),
        (err: Error) => this.releaseAwaiting(record.topic, null, err),
      );
    });
  }

  /** True while buffered records are under buffer.memory; else wait on ready() before sending more. */
  get hasSpace(): boolean {
    return this.bufferedBytes < this.config.bufferMemory;
  }

  /** Resolves once there is buffer space for more records. */
  ready(): Promise<void> {
    if (this.hasSpace) return Promise.resolve();
    return new Promise((resolve) => this.spaceWaiters.push(resolve));
  }

  /** Sends every open batch now and resolves once every record sent so far is settled. */
  async flush(): Promise<void> {
    for (const batch of [...this.open.values()]) this.closeBatch(batch);
    if (this.unsettled === 0) return;
    // Records still waiting for metadata go out without lingering once appended (see append).
    this.flushing++;
    try {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    } finally {
      this.flushing--;
    }
  }

  /** Flushes, then refuses further sends. The cluster client stays the caller's to close. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  private releaseAwaiting(topic: string, layout: TopicLayout | null, err: Error | null): void {
    const queued = this.awaitingMetadata.get(topic) ?? [];
    this.awaitingMetadata.delete(topic);
    for (const { record, waiter } of queued) {
      if (err || !layout) waiter.reject(err ?? new Error(`no metadata for ${topic}`));
      else this.append(record, waiter, layout);
    }
  }

  private append(record: ProducerRecord, waiter: Waiter, layout: TopicLayout): void {
    const count = layout.leaders.length;
    let partition = record.partition;
    if (partition === undefined) {
      partition = record.key ? partitionForKey(record.key, count) : this.sticky.partition(record.topic, count);
    } else if (partition < 0 || partition >= count) {
      waiter.reject(new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `Partition ${partition} of topic ${record.topic} with partition count ${count} is not present in metadata after ${this.config.maxBlockMs} ms.`));
      return;
    }
    const size = sizeOf(record);
    const key = `${record.topic}\u0000${partition}`;
    let batch = this.open.get(key);
    if (batch && batch.bytes + size > this.config.batchSize) {
      this.closeBatch(batch);
      batch = undefined;
    }
    if (!batch) {
      batch = { topic: record.topic, partition, partitionCount: count, records: [], waiters: [], bytes: 61, createdMs: Date.now(), timer: null, built: null };
      this.open.set(key, batch);
    }
    batch.records.push({ key: record.key ?? null, value: record.value, headers: record.headers, timestamp: record.timestamp ?? Date.now() });
    batch.waiters.push(waiter);
    batch.bytes += size;
    this.bufferedBytes += size;
    if (batch.bytes >= this.config.batchSize) this.closeBatch(batch);
    else if (!batch.timer) {
      const b = batch;
      b.timer = setTimeout(() => this.closeBatch(b), this.flushing > 0 ? 0 : this.config.lingerMs);
    }
  }

  private closeBatch(batch: Batch): void {
    const key = `${batch.topic}\u0000${batch.partition}`;
    if (this.open.get(key) !== batch) return;
    this.open.delete(key);
    if (batch.timer) clearTimeout(batch.timer);
    batch.timer = null;
    this.sticky.batchClosed(batch.topic, batch.partition, batch.partitionCount);
    this.readyBatches.push(batch);
    this.drain();
  }

  /** Sends the ready batches to their leaders, as far as the in-flight limit allows. */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    void this.drainLoop().finally(() => {
      this.draining = false;
    });
  }

  private async drainLoop(): Promise<void> {
    while (this.readyBatches.length > 0) {
      const byLeader = new Map<number, Batch[]>();
      const waiting: Batch[] = [];
      for (const batch of this.readyBatches) {
        let layout: TopicLayout;
        try {
          layout = await this.metadata.layout(batch.topic, this.config.maxBlockMs, this.config.retryBackoffMs);
        } catch (err) {
          this.fail(batch, err as Error);
          continue;
        }
        const leader = layout.leaders[batch.partition] ?? -1;
        const list = byLeader.get(leader) ?? [];
        const sameTopicPartition = list.some((b) => b.topic === batch.topic && b.partition === batch.partition);
        if (leader < 0 || sameTopicPartition || (this.inFlight.get(leader) ?? 0) >= this.config.maxInFlight) {
          if (leader < 0) this.metadata.invalidate(batch.topic);
          waiting.push(batch);
          continue;
        }
        list.push(batch);
        byLeader.set(leader, list);
      }
      this.readyBatches = waiting;
      for (const [leader, batches] of byLeader) {
        if (this.transactions) {
          try {
            await this.transactions.addPartitions(batches);
          } catch (err) {
            for (const b of batches) this.fail(b, err as Error);
            continue;
          }
        }
        this.sendTo(leader, batches);
      }
      if (byLeader.size === 0) {
        // Nothing could go: wait for an answer to free a slot, or for a leader to appear.
        if ([...this.inFlight.values()].some((n) => n > 0)) return;
        await sleep(this.config.retryBackoffMs);
      }
    }
  }

  private sendTo(leader: number, batches: Batch[]): void {
    this.inFlight.set(leader, (this.inFlight.get(leader) ?? 0) + 1);
    const topics = new Map<string, { index: number; records: Buffer }[]>();
    for (const b of batches) {
      const list = topics.get(b.topic) ?? [];
      list.push({ index: b.partition, records: this.build(b) });
      topics.set(b.topic, list);
    }
    const body = {
      transactionalId: this.transactions?.transactionalId ?? null,
      acks: this.config.acks,
      timeoutMs: this.config.requestTimeoutMs,
      topicData: [...topics].map(([name, partitionData]) => ({ name, partitionData })),
    };
    const done = () => {
      this.inFlight.set(leader, (this.inFlight.get(leader) ?? 1) - 1);
      this.drain();
    };
    if (this.config.acks === 0) {
      this.client.requestWithoutResponse(Apis.Produce, body, { to: leader, minVersion: 3 }).then(
        () => {
          for (const b of batches) this.complete(b, -1);
          done();
        },
        (err: Error) => {
          for (const b of batches) this.retryOrFail(b, err, true);
          done();
        },
      );
      return;
    }
    this.client.request(Apis.Produce, body, { to: leader, minVersion: 3 }).then(
      (res) => {
        for (const b of batches) {
          const p = res.responses.find((t) => t.name === b.topic)?.partitionResponses.find((x) => x.index === b.partition);
          if (!p) this.retryOrFail(b, new KafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, 'no answer for the partition'), false);
          else if (p.errorCode === ErrorCode.NONE) this.complete(b, Number(p.baseOffset), Number(p.logAppendTimeMs));
          else this.retryOrFail(b, new KafkaError(p.errorCode, p.errorMessage ?? errorName(p.errorCode)), isRetriable(p.errorCode));
        }
        done();
      },
      (err: Error) => {
        for (const b of batches) this.retryOrFail(b, err, true);
        done();
      },
    );
  }

  private build(b: Batch): Buffer {
    if (b.built) return b.built;
    const t = this.transactions;
    b.built = buildBatch(
      b.records,
      t
        ? {
            compression: this.config.compression,
            producerId: t.producerId,
            producerEpoch: t.producerEpoch,
            baseSequence: t.nextSequence(b.topic, b.partition, b.records.length),
            transactional: true,
          }
        : { compression: this.config.compression },
    );
    return b.built;
  }

  private complete(batch: Batch, baseOffset: number, logAppendTime = -1): void {
    this.release(batch);
    batch.waiters.forEach((w, i) =>
      w.resolve({
        topic: batch.topic,
        partition: batch.partition,
        offset: baseOffset < 0 ? -1 : baseOffset + i,
        timestamp: logAppendTime >= 0 ? logAppendTime : (batch.records[i].timestamp ?? -1),
      }),
    );
  }

  private retryOrFail(batch: Batch, err: Error, retriable: boolean): void {
    if (retriable && Date.now() - batch.createdMs + this.config.retryBackoffMs < this.config.deliveryTimeoutMs) {
      this.metadata.invalidate(batch.topic);
      setTimeout(() => {
        this.readyBatches.unshift(batch);
        this.drain();
      }, this.config.retryBackoffMs);
      return;
    }
    this.fail(batch, err);
  }

  private fail(batch: Batch, err: Error): void {
    this.release(batch);
    for (const w of batch.waiters) w.reject(err);
  }

  private release(batch: Batch): void {
    this.bufferedBytes -= batch.bytes - 61;
    if (this.hasSpace && this.spaceWaiters.length > 0) {
      const waiters = this.spaceWaiters;
      this.spaceWaiters = [];
      for (const w of waiters) w();
    }
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
