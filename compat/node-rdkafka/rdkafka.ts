// Promise wrappers over node-rdkafka's callback API, just what the scenarios use.

import { AdminClient, CODES, GlobalConfig, HighLevelProducer, IAdminClient, KafkaConsumer, LibrdKafkaError, Message, MessageHeader, Metadata } from 'node-rdkafka';
import { CLIENT_SIZE_LIMIT } from '../lib/data';

/** librdkafka configuration; node-rdkafka's GlobalConfig type lacks many real keys. */
export type Conf = Record<string, unknown>;

function settle<T>(resolve: (v: T) => void, reject: (e: unknown) => void) {
  return (err: unknown, value?: T) => (err ? reject(err) : resolve(value as T));
}

export interface Outgoing {
  value: Buffer | null;
  key?: string;
  partition?: number;
  timestamp?: number;
  headers?: MessageHeader[];
}

export class Producer {
  private constructor(private readonly p: HighLevelProducer) {}

  /**
   * onError hears the client's own errors (event.error: authentication, TLS), which fail no call by
   * themselves. node-rdkafka polls for them only once its connect has fetched metadata, so while
   * that waits (for ever, when the broker refuses the client) this polls itself. A connect gives up
   * after connectTimeoutMs (node-rdkafka's default, 30 s, when absent).
   */
  static async open(bootstrap: string, conf: Conf = {}, onError?: (err: LibrdKafkaError) => void, connectTimeoutMs?: number): Promise<Producer> {
    const p = new HighLevelProducer({ 'bootstrap.servers': bootstrap, 'linger.ms': 100, 'message.max.bytes': CLIENT_SIZE_LIMIT, ...conf } as GlobalConfig);
    let poller: NodeJS.Timeout | undefined;
    if (onError) {
      p.on('event.error', onError);
      poller = setInterval(() => p.isConnected() && p.poll(), 100);
    }
    try {
      await new Promise((resolve, reject) => p.connect(connectTimeoutMs ? { timeout: connectTimeoutMs } : {}, settle(resolve, reject)));
    } finally {
      clearInterval(poller);
    }
    return new Producer(p);
  }

  /** Sends to partition 0 unless told otherwise; resolves to the offsets, in order. */
  send(topic: string, records: Outgoing[]): Promise<number[]> {
    return Promise.all(
      records.map((r) => new Promise<number>((resolve, reject) => {
        // An undefined key makes HighLevelProducer drop the record without ever calling back.
        this.p.produce(topic, r.partition ?? 0, r.value, r.key ?? null, r.timestamp ?? null, r.headers ?? [], (err: unknown, offset?: number | null) =>
          err ? reject(err) : resolve(Number(offset)));
      })),
    );
  }

  raw(): HighLevelProducer {
    return this.p;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.p.disconnect(() => resolve()));
  }
}

export async function produce(bootstrap: string, topic: string, records: Outgoing[], conf: Conf = {}): Promise<number[]> {
  const p = await Producer.open(bootstrap, conf);
  try {
    return await p.send(topic, records);
  } finally {
    await p.close();
  }
}

export async function openConsumer(bootstrap: string, groupId: string, conf: Conf = {}, onError?: (err: LibrdKafkaError) => void): Promise<KafkaConsumer> {
  const c = new KafkaConsumer({
    'bootstrap.servers': bootstrap, 'group.id': groupId, 'enable.auto.commit': false, 'fetch.message.max.bytes': CLIENT_SIZE_LIMIT,
    'heartbeat.interval.ms': 300, 'session.timeout.ms': 10_000, ...conf,
  } as GlobalConfig, { 'auto.offset.reset': 'earliest' });
  if (onError) c.on('event.error', onError);
  await new Promise((resolve, reject) => c.connect({}, settle(resolve, reject)));
  c.setDefaultConsumeTimeout(50);
  return c;
}

export function consumeBatch(c: KafkaConsumer): Promise<Message[]> {
  return new Promise((resolve, reject) => c.consume(500, settle(resolve, reject)));
}

export function closeConsumer(c: KafkaConsumer): Promise<void> {
  return new Promise((resolve) => c.disconnect(() => resolve()));
}

export function metadata(c: KafkaConsumer | HighLevelProducer, topic: string): Promise<Metadata> {
  return new Promise((resolve, reject) => c.getMetadata({ topic, timeout: 10_000 }, settle(resolve, reject)));
}

export async function withAdmin<T>(bootstrap: string, body: (a: IAdminClient) => Promise<T>): Promise<T> {
  const a = AdminClient.create({ 'bootstrap.servers': bootstrap });
  try {
    return await body(a);
  } finally {
    a.disconnect();
  }
}

export function createTopic(bootstrap: string, topic: string, partitions: number, replicationFactor = 1, config: Record<string, string> = {}): Promise<void> {
  return withAdmin(bootstrap, (a) => new Promise((resolve, reject) =>
    a.createTopic({ topic, num_partitions: partitions, replication_factor: replicationFactor, config }, 20_000, settle(resolve, reject))));
}

export function createPartitions(bootstrap: string, topic: string, total: number): Promise<void> {
  return withAdmin(bootstrap, (a) => new Promise((resolve, reject) => a.createPartitions(topic, total, 20_000, settle(resolve, reject))));
}

export { CODES };
