// @platformatic/kafka run script (its 1.x line, which runs on Node 20); protocol: compat/lib/protocol.ts.

import { Admin, ClientQuotaMatchTypes, CompressionAlgorithmValue, ConfigResourceTypes, ConfigSources, IncrementalAlterConfigOperationTypes, Consumer, FetchIsolationLevels, Message, MessagesStream, MessageToProduce, ProduceAcks, Producer, ProducerOptions, ResourceTypes, StreamOptions } from '@platformatic/kafka';
import { exactlyOnceDetail, produceThroughKill, throughKillDetail } from '../lib/broker-killed';
import { check, checkEqual, checkTakeover, waitFor } from '../lib/check';
import { awaitCompaction } from '../lib/compaction';
import {
  BROKER_DEFAULT_NAME,
  BROKER_DEFAULT_VALUE,
  CLIENT_SIZE_LIMIT,
  CLUSTER_GROWN_PARTITIONS,
  CLUSTER_PARTITIONS,
  CLUSTER_REPLICATION,
  CLUSTER_RETENTION_MS,
  COMPACT_TOPIC_CONFIGS,
  compactionRecords,
  DELETE_BEFORE_OFFSET,
  DELETE_RECORDS_COUNT,
  GROWN_PARTITIONS,
  INTER_BROKER_PROTOCOL_VERSION,
  ROLL_KEY,
  EOS_ABORTED,
  EOS_FIRST,
  EOS_INPUT,
  eosInput,
  eosTransform,
  MID_BATCH_COUNT,
  MID_BATCH_OFFSET,
  NEAR_MAX_VALUE_BYTES,
  OVER_MAX_VALUE_BYTES,
  RETRY_RECORDS,
  ROUTING_PER_PARTITION,
  sampleRecords,
  txnValues,
} from '../lib/data';
import { Context, errorText, NotApplicable, runClient, Scenario } from '../lib/harness';
import { Account, AUTHENTICATION_FAILED, expectRefusal, readSecurity, SECURE_RECORDS, secureValues, Security, TOPIC_DENIED, wrongPassword } from '../lib/security';
import { readFileSync } from 'node:fs';

type Outgoing = Omit<MessageToProduce, 'topic'>;

/** In the cluster pass ctx.bootstrap lists every broker, comma-separated. */
const base = (ctx: Context) => ({ clientId: 'compat-platformatic', bootstrapBrokers: ctx.bootstrap.split(','), retries: 2 });
const records = (n: number): Outgoing[] => sampleRecords(n).map((r) => ({ key: Buffer.from(r.key), value: Buffer.from(r.value) }));
const text = (b: Buffer | null | undefined) => (b === null || b === undefined ? null : b.toString());

/** True when something in the error's tree (causes, grouped errors) satisfies the test. */
function inErrorTree(err: unknown, test: (e: Record<string, unknown>) => boolean, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 6) return false;
  const e = err as Record<string, unknown>;
  if (test(e)) return true;
  const nested = [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  return nested.some((n) => inErrorTree(n, test, depth + 1));
}

/** The first leaf of the error's tree: what went wrong under the client's wrappers. */
function rootCause(err: unknown): unknown {
  const e = err as { cause?: unknown; errors?: unknown[] } | undefined;
  const nested = e?.cause ?? e?.errors?.[0];
  return nested ? rootCause(nested) : err;
}

async function produce(ctx: Context, topic: string, messages: Outgoing[], opts: Partial<ProducerOptions<Buffer, Buffer, Buffer, Buffer>> = {}, compression?: CompressionAlgorithmValue): Promise<void> {
  const p = new Producer({ ...base(ctx), autocreateTopics: true, ...opts });
  try {
    await p.send({ messages: messages.map((m) => ({ partition: 0, ...m, topic })), compression });
  } finally {
    await p.close();
  }
}

async function consumer(ctx: Context, groupId: string, extra = {}): Promise<Consumer> {
  return new Consumer({ ...base(ctx), groupId, maxWaitTime: 100, maxBytes: CLIENT_SIZE_LIMIT, maxBytesPerPartition: CLIENT_SIZE_LIMIT, ...extra });
}

/** Streams a topic through a fresh reader until `enough` holds for what it read. */
async function readUntil(ctx: Context, topic: string, from: Pick<StreamOptions, 'mode' | 'offsets'>, what: string, enough: (got: Message[]) => boolean, extra = {}): Promise<Message[]> {
  const c = await consumer(ctx, ctx.name('reader'), extra);
  let stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | undefined;
  try {
    stream = await c.consume({ topics: [topic], ...from, autocommit: false });
    const got: Message[] = [];
    stream.on('data', (m: Message) => got.push(m));
    await waitFor(what, () => enough(got));
    return got;
  } finally {
    await stream?.close();
    await c.close(true);
  }
}

/** Reads `count` records of partition 0 from `offset`. */
function read(ctx: Context, topic: string, count: number, offset = 0n, extra = {}): Promise<Message[]> {
  return readUntil(ctx, topic, { mode: 'manual', offsets: [{ topic, partition: 0, offset }] }, `${count} records`, (got) => got.length >= count, extra);
}

function roundTrip(compression: CompressionAlgorithmValue): Scenario {
  return async (ctx) => {
    const topic = ctx.name();
    const sent = records(200);
    try {
      await produce(ctx, topic, sent, {}, compression);
    } catch (err) {
      if (inErrorTree(err, (e) => e.code === 'PLT_KFK_UNSUPPORTED_COMPRESSION')) throw new NotApplicable(`${compression} unavailable on this Node: ${String(err)}`);
      throw err;
    }
    const got = await read(ctx, topic, sent.length);
    checkEqual(got.map((m) => [Number(m.offset), text(m.key), text(m.value)]), sent.map((r, i) => [i, text(r.key as Buffer), text(r.value as Buffer)]), 'records read back');
  };
}

async function withAdmin<T>(ctx: Context, body: (a: Admin) => Promise<T>): Promise<T> {
  const a = new Admin(base(ctx));
  try {
    return await body(a);
  } finally {
    await a.close();
  }
}

const createTopic = (ctx: Context, topic: string, partitions: number, replicas = 1, configs: Record<string, string> = {}) =>
  withAdmin(ctx, (a) => a.createTopics({ topics: [topic], partitions, replicas, configs: Object.entries(configs).map(([name, value]) => ({ name, value })) }));

async function topicConfigs(ctx: Context, topic: string): Promise<Map<string, string | null | undefined>> {
  const [described] = await withAdmin(ctx, (a) => a.describeConfigs({ resources: [{ resourceType: ResourceTypes.TOPIC, resourceName: topic, configurationKeys: [] }] }));
  return new Map(described.configs.map((c) => [c.name, c.value]));
}

/** A broker resource's configs by name (the cluster-wide default when `name` is empty), with their sources. */
async function brokerConfigs(a: Admin, name: string): Promise<Map<string, { value: string | null | undefined; source: number }>> {
  const [described] = await a.describeConfigs({ resources: [{ resourceType: ConfigResourceTypes.BROKER, resourceName: name, configurationKeys: [] }] });
  return new Map(described.configs.map((c) => [c.name, { value: c.value, source: c.configSource }]));
}

/** Grows a topic to `count` partitions and waits until the metadata shows them all with leaders. */
async function growTopic(ctx: Context, topic: string, count: number): Promise<void> {
  await withAdmin(ctx, async (a) => {
    await a.createPartitions({ topics: [{ name: topic, count }] });
    await waitFor(`${count} partitions with leaders`, async () => {
      const md = await a.metadata({ topics: [topic], forceUpdate: true });
      const partitions = md.topics.get(topic)?.partitions ?? [];
      return partitions.length === count && partitions.every((p) => md.brokers.has(p.leader));
    });
  });
}

/** Reads one partition from `offset` until `count` records came. */
const readPartition = (ctx: Context, topic: string, partition: number, count: number, offset = 0n) =>
  readUntil(ctx, topic, { mode: 'manual', offsets: [{ topic, partition, offset }] }, `${count} records of partition ${partition}`, (got) => got.length >= count);

/** A group member reading through a stream; its assignment comes from the consumer. */
class Member {
  readonly seen: Message[] = [];
  private constructor(readonly consumer: Consumer, private readonly stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>, private readonly topic: string) {
    stream.on('data', (m: Message) => this.seen.push(m));
  }

  static async join(ctx: Context, group: string, topic: string): Promise<Member> {
    const c = await consumer(ctx, group, { sessionTimeout: 10_000, heartbeatInterval: 300, rebalanceTimeout: 10_000 });
    const stream = await c.consume({ topics: [topic], mode: 'committed', fallbackMode: 'earliest', autocommit: false });
    return new Member(c, stream, topic);
  }

  get partitions(): number[] {
    return [...(this.consumer.assignments?.find((a) => a.topic === this.topic)?.partitions ?? [])].sort();
  }

  commit(offset: bigint): Promise<void> {
    return this.consumer.commit({ offsets: [{ topic: this.topic, partition: 0, offset, leaderEpoch: 0 }] });
  }

  async close(): Promise<void> {
    await this.stream.close();
    await this.consumer.close();
  }
}

async function splitGroup(ctx: Context): Promise<{ topic: string; members: Member[] }> {
  const topic = ctx.name();
  await createTopic(ctx, topic, 2);
  const members = [await Member.join(ctx, ctx.name('group'), topic), await Member.join(ctx, ctx.name('group'), topic)];
  await waitFor('a split assignment', () => members.every((m) => m.partitions.length === 1) && members[0].partitions[0] !== members[1].partitions[0]);
  return { topic, members };
}

const perPartition = (n: number): Outgoing[] => [0, 1].flatMap((partition) => Array.from({ length: n }, (_, i) => ({ partition, value: Buffer.from(`p${partition}-${i}`) })));

async function listOffsets(ctx: Context, topic: string, timestamp: bigint, extra = {}): Promise<bigint | undefined> {
  const c = await consumer(ctx, ctx.name('reader'), extra);
  try {
    return (await c.listOffsets({ topics: [topic], partitions: { [topic]: [0] }, timestamp })).get(topic)?.[0];
  } finally {
    await c.close(true);
  }
}

const HALF = 5;

/** One bootstrap broker: reaching the other leaders needs the metadata it hands out. */
const firstBrokerOnly = (ctx: Context): Context => ({ ...ctx, bootstrap: ctx.bootstrap.split(',')[0] });

/** The cluster scenarios' topic; fails unless its partitions have leaders on all three brokers. */
async function createSpreadTopic(ctx: Context, topic: string): Promise<void> {
  await createTopic(ctx, topic, CLUSTER_PARTITIONS, CLUSTER_REPLICATION);
  const leaders = await withAdmin(ctx, async (a) => {
    let found: number[] = [];
    await waitFor('a leader for every partition', async () => {
      const md = await a.metadata({ topics: [topic], forceUpdate: true });
      found = md.topics.get(topic)?.partitions.map((p) => p.leader) ?? [];
      return found.length === CLUSTER_PARTITIONS && found.every((id) => md.brokers.has(id));
    });
    return found;
  });
  checkEqual(new Set(leaders).size, CLUSTER_REPLICATION, 'brokers leading partitions');
}

/**
 * 8 s of retries: longer than the killed broker's 4 s ZooKeeper session and the election after it,
 * and than the client's metadataMaxAge (5 s). The client retries a send against the leader it
 * picked first, so a send to the killed broker fails; the next send then reads metadata that names
 * the new leader.
 */
const FAILOVER = { retries: 16, retryDelay: 500 };

async function withFailoverProducer<T>(ctx: Context, body: (p: Producer) => Promise<T>, opts: Partial<ProducerOptions<Buffer, Buffer, Buffer, Buffer>> = {}): Promise<T> {
  const p = new Producer({ ...base(ctx), ...FAILOVER, ...opts });
  try {
    return await body(p);
  } finally {
    await p.close();
  }
}

/** acks=all goes on each send: send() ignores the producer's own acks option. */
const sendAcked = (p: Producer, messages: MessageToProduce[]) => p.send({ messages, acks: ProduceAcks.ALL });

/** Reads every partition from the start until each of `keys` was seen; returns "partition/key" per record read. */
async function readKeys(ctx: Context, topic: string, keys: string[]): Promise<string[]> {
  const allSeen = (got: Message[]) => {
    const seen = new Set(got.map((m) => text(m.key)));
    return keys.every((k) => seen.has(k));
  };
  const got = await readUntil(ctx, topic, { mode: 'earliest' }, `${keys.length} keys`, allSeen);
  return got.map((m) => `${m.partition}/${text(m.key)}`);
}

/** exactly-once-restart's topics, group and transactional id, the same in both phases. */
function eosNames(ctx: Context) {
  return { input: ctx.name('in'), output: ctx.name('out'), groupId: ctx.name('group'), transactionalId: ctx.name('txn') };
}

/**
 * A transactional producer. Its InitProducerId carries producer id 0 and epoch 0 unless told
 * otherwise, which Kafka reads as a KIP-360 re-initialisation of producer 0: once the transactional
 * id belongs to another producer id, as after a restart, the answer is PRODUCER_FENCED. Passing
 * -1/-1 asks for the producer id the coordinator holds, as other clients do (FINDINGS.md).
 */
async function withTransactionalProducer(ctx: Context, transactionalId: string, body: (p: Producer) => Promise<void>): Promise<void> {
  const p = new Producer({ ...base(ctx), idempotent: true, transactionalId, producerId: -1n, producerEpoch: -1 });
  try {
    await body(p);
  } finally {
    await p.close();
  }
}

/**
 * One consume-transform-produce round: the group reads `count` input records from its committed
 * offset, the producer writes their transformations and the group's next offset in one
 * transaction, then commits or aborts it.
 */
async function transformRound(ctx: Context, p: Producer, count: number, commit: boolean): Promise<void> {
  const { input, output, groupId } = eosNames(ctx);
  const m = await Member.join(ctx, groupId, input);
  try {
    await waitFor(`${count} input records`, () => m.seen.length >= count);
    const batch = m.seen.slice(0, count);
    const tx = await p.beginTransaction();
    await tx.send({ messages: batch.map((msg) => ({ topic: output, partition: 0, value: Buffer.from(eosTransform(text(msg.value) ?? '')) })) });
    await tx.addConsumer(m.consumer);
    await tx.addOffset(batch[count - 1]);
    await (commit ? tx.commit() : tx.abort());
  } finally {
    await m.close();
  }
}

async function committedOffset(ctx: Context, groupId: string, topic: string): Promise<bigint | undefined> {
  const c = await consumer(ctx, groupId);
  try {
    const offsets = await c.listCommittedOffsets({ topics: [{ topic, partitions: [0] }] });
    return offsets.get(topic)?.[0];
  } finally {
    await c.close(true);
  }
}

/** Options for a listener of the secured broker: Node's TLS with the CA (host name checked), the client certificate when asked. */
function tlsOptions(s: Security, bootstrap: string, clientCertificate = false) {
  const cert = clientCertificate ? { cert: readFileSync(s.clientCertFile), key: readFileSync(s.clientKeyFile) } : {};
  return { bootstrapBrokers: [bootstrap], connectTimeout: 5000, tls: { ca: [readFileSync(s.caFile)], ...cert } };
}

function saslOptions(s: Security, mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512', a: Account, password = a.password) {
  return { ...tlsOptions(s, s.saslSsl), sasl: { mechanism, username: a.user, password } };
}

type SecureOptions = Partial<ProducerOptions<Buffer, Buffer, Buffer, Buffer>>;

/** Produces SECURE_RECORDS values tagged `tag` and reads them back, both with `opts`. */
async function secureRoundTrip(ctx: Context, opts: SecureOptions, topic: string, tag: string): Promise<void> {
  const values = secureValues(tag);
  await produce(ctx, topic, values.map((v) => ({ value: Buffer.from(v) })), opts);
  checkEqual((await read(ctx, topic, SECURE_RECORDS, 0n, opts)).map((m) => text(m.value)), values, `records read back (${tag})`);
}

/** The protocol error ids (TOPIC_AUTHORIZATION_FAILED...) in the error's tree, ahead of its text. */
function withApiIds(attempt: () => Promise<unknown>): () => Promise<void> {
  return async () => {
    try {
      await attempt();
    } catch (err) {
      const ids = new Set<string>();
      inErrorTree(err, (e) => {
        if (typeof e.apiId === 'string') ids.add(e.apiId);
        return false;
      });
      throw new Error([...ids, errorText(err)].join(': '));
    }
  };
}

/** A group member of `topic` that must be refused: its consume or its stream fails; `seen` gets what it read. */
function refusedSubscriber(ctx: Context, opts: SecureOptions, topic: string, seen: Message[]): () => Promise<void> {
  return async () => {
    const c = await consumer(ctx, ctx.name('refused'), opts);
    try {
      const stream = await c.consume({ topics: [topic], mode: 'earliest', autocommit: false });
      stream.on('data', (m: Message) => seen.push(m));
      await new Promise((_, reject) => stream.once('error', reject));
    } finally {
      await c.close(true);
    }
  };
}

const security: Record<'ssl' | 'mtls' | 'sasl-plain' | 'sasl-scram' | 'acl-denied', Scenario> = {
  'ssl': async (ctx) => {
    const s = readSecurity();
    await secureRoundTrip(ctx, tlsOptions(s, s.ssl), ctx.name(), 'ssl');
  },
  'mtls': async (ctx) => {
    const s = readSecurity();
    await secureRoundTrip(ctx, tlsOptions(s, s.mtls, true), ctx.name(), 'mtls');
    const refused = await expectRefusal('without a client certificate', withApiIds(() => produce(ctx, ctx.name('refused'), [{ value: Buffer.from('x') }], tlsOptions(s, s.mtls))));
    return `with a certificate: ${SECURE_RECORDS} records round trip; ${refused}`;
  },
  'sasl-plain': async (ctx) => {
    const s = readSecurity();
    await secureRoundTrip(ctx, saslOptions(s, 'PLAIN', s.plain), ctx.name(), 'plain');
    const wrong = saslOptions(s, 'PLAIN', s.plain, wrongPassword(s.plain));
    const refused = await expectRefusal('a wrong password', withApiIds(() => produce(ctx, ctx.name(), [{ value: Buffer.from('x') }], wrong)), AUTHENTICATION_FAILED);
    return `${s.plain.user} over SASL_SSL: ${SECURE_RECORDS} records round trip; ${refused}`;
  },
  'sasl-scram': async (ctx) => {
    const s = readSecurity();
    const plaintext = { bootstrapBrokers: [s.saslPlaintext], connectTimeout: 5000, sasl: { mechanism: 'SCRAM-SHA-256' as const, username: s.scram256.user, password: s.scram256.password } };
    await secureRoundTrip(ctx, plaintext, ctx.name('256'), 'scram-sha-256');
    await secureRoundTrip(ctx, saslOptions(s, 'SCRAM-SHA-512', s.scram512), ctx.name('512'), 'scram-sha-512');
  },
  'acl-denied': async (ctx) => {
    const s = readSecurity();
    const test = saslOptions(s, 'PLAIN', s.plain);
    const mallory = saslOptions(s, 'PLAIN', s.mallory);
    const values = secureValues('test');
    await produce(ctx, s.aclTopic, values.map((v) => ({ value: Buffer.from(v) })), test);
    const produceRefused = await expectRefusal('mallory producing', withApiIds(() => produce(ctx, s.aclTopic, [{ value: Buffer.from('mallory') }], mallory)), TOPIC_DENIED);
    const seen: Message[] = [];
    const consumeRefused = await expectRefusal('mallory consuming', withApiIds(refusedSubscriber(ctx, mallory, s.aclTopic, seen)), TOPIC_DENIED);
    checkEqual(seen.length, 0, 'records mallory read');
    checkEqual((await read(ctx, s.aclTopic, SECURE_RECORDS, 0n, test)).map((m) => text(m.value)), values, 'records test read');
    checkEqual(await listOffsets(ctx, s.aclTopic, -1n, test), BigInt(SECURE_RECORDS), 'log end offset (mallory stored nothing)');
    return `${produceRefused}; ${consumeRefused}; test read its ${SECURE_RECORDS} records`;
  },
};

void runClient({
  main: {
    ...security,
    'metadata': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, [{ value: Buffer.from('x') }]);
      const md = await withAdmin(ctx, (a) => a.metadata({ topics: [topic] }));
      const brokers = [...md.brokers.entries()];
      check(brokers.length > 0 && brokers.every(([, b]) => b.host && b.port > 0), `brokers ${JSON.stringify(brokers)}`);
      check(md.brokers.has(md.controllerId), `controller ${md.controllerId} not among brokers`);
      const t = md.topics.get(topic);
      check(t, 'topic not in metadata');
      check(t.partitions.every((p) => md.brokers.has(p.leader)), 'partition leader not a known broker');
      return brokers.map(([id, b]) => `${id}@${b.host}:${b.port}`).join(', ');
    },
    'compression-none': roundTrip('none'),
    'compression-gzip': roundTrip('gzip'),
    'compression-snappy': roundTrip('snappy'),
    'compression-lz4': roundTrip('lz4'),
    'compression-zstd': roundTrip('zstd'),
    'keys-headers': async (ctx) => {
      const topic = ctx.name();
      const headers = new Map([[Buffer.from('trace-id'), Buffer.from('abc')], [Buffer.from('empty'), Buffer.alloc(0)], [Buffer.from('binary'), Buffer.from([0, 255, 1])]]);
      await produce(ctx, topic, [{ key: Buffer.from('the-key'), value: Buffer.from('v'), headers }]);
      const [m] = await read(ctx, topic, 1);
      checkEqual(text(m.key), 'the-key', 'key');
      checkEqual([...m.headers].map(([k, v]) => [k.toString(), [...v]]), [['trace-id', [...Buffer.from('abc')]], ['empty', []], ['binary', [0, 255, 1]]], 'headers');
    },
    'null-value': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, [{ key: Buffer.from('k'), value: undefined }]);
      const [m] = await read(ctx, topic, 1);
      check(m.value === null || m.value === undefined, `value ${JSON.stringify(m.value)} is not null`);
    },
    'empty-value': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, [{ key: Buffer.from('k'), value: Buffer.alloc(0) }]);
      const [m] = await read(ctx, topic, 1);
      check(Buffer.isBuffer(m.value), `value ${JSON.stringify(m.value)} is not an empty buffer`);
      checkEqual(m.value.length, 0, 'value length');
    },
    'record-near-max': async (ctx) => {
      const topic = ctx.name();
      const value = Buffer.alloc(NEAR_MAX_VALUE_BYTES, 'n');
      await produce(ctx, topic, [{ value }]);
      const [m] = await read(ctx, topic, 1);
      check(m.value?.equals(value), `value of ${m.value?.length} bytes differs`);
    },
    'record-over-max': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, [{ value: Buffer.from('first') }]);
      const error = await produce(ctx, topic, [{ value: Buffer.alloc(OVER_MAX_VALUE_BYTES, 'o') }]).then(() => undefined, (e: unknown) => e);
      check(error !== undefined, 'an over-sized record was accepted');
      check(inErrorTree(error, (e) => e.apiId === 'MESSAGE_TOO_LARGE' || e.apiCode === 10), `expected MESSAGE_TOO_LARGE, got ${String(error)}`);
      checkEqual((await read(ctx, topic, 1)).map((m) => text(m.value)), ['first'], 'records stored');
      return String(error);
    },
    'fetch-mid-batch': async (ctx) => {
      const topic = ctx.name();
      const sent = records(MID_BATCH_COUNT);
      await produce(ctx, topic, sent);
      const got = await read(ctx, topic, MID_BATCH_COUNT - MID_BATCH_OFFSET, BigInt(MID_BATCH_OFFSET));
      checkEqual(got.map((m) => [Number(m.offset), text(m.value)]), sent.slice(MID_BATCH_OFFSET).map((r, i) => [i + MID_BATCH_OFFSET, text(r.value as Buffer)]), 'records from the middle');
    },
    'list-offsets-earliest': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, records(3));
      checkEqual(await listOffsets(ctx, topic, -2n), 0n, 'earliest offset');
    },
    'list-offsets-latest': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, records(3));
      checkEqual(await listOffsets(ctx, topic, -1n), 3n, 'latest offset');
    },
    'list-offsets-timestamp': async (ctx) => {
      const topic = ctx.name();
      const start = Date.now() - 60_000;
      await produce(ctx, topic, [0, 1, 2, 3].map((i) => ({ value: Buffer.from(`t${i}`), timestamp: BigInt(start + i * 1000) })));
      checkEqual(await listOffsets(ctx, topic, BigInt(start + 1500)), 2n, 'offset for a timestamp between records 1 and 2');
    },
    'admin-create-topics': async (ctx) => {
      const topic = ctx.name();
      const [created] = await createTopic(ctx, topic, 3);
      checkEqual(created.partitions, 3, 'partitions in the CreateTopics answer');
      const md = await withAdmin(ctx, (a) => a.metadata({ topics: [topic] }));
      checkEqual(md.topics.get(topic)?.partitionsCount, 3, 'partitions in metadata');
    },
    'admin-describe-topics': async (ctx) => {
      const topic = ctx.name();
      await createTopic(ctx, topic, 2);
      const md = await withAdmin(ctx, (a) => a.metadata({ topics: [topic] }));
      const partitions = md.topics.get(topic)?.partitions ?? [];
      checkEqual(partitions.length, 2, 'partition count');
      partitions.forEach((p, i) => check(md.brokers.has(p.leader) && p.replicas.includes(p.leader) && p.isr.includes(p.leader), `partition ${i}: leader not a broker, replica and in-sync replica`));
    },
    'admin-delete-topics': async (ctx) => {
      const topic = ctx.name();
      await createTopic(ctx, topic, 1);
      await withAdmin(ctx, async (a) => {
        await a.deleteTopics({ topics: [topic] });
        await waitFor('the topic to disappear', async () => !(await a.listTopics()).includes(topic));
      });
    },
    'admin-describe-configs': async (ctx) => {
      const topic = ctx.name();
      await createTopic(ctx, topic, 1);
      checkEqual((await topicConfigs(ctx, topic)).get('cleanup.policy'), 'delete', 'cleanup.policy');
    },
    'admin-alter-configs': async (ctx) => {
      const topic = ctx.name();
      await createTopic(ctx, topic, 1);
      await withAdmin(ctx, (a) => a.alterConfigs({ resources: [{ resourceType: ResourceTypes.TOPIC, resourceName: topic, configs: [{ name: 'retention.ms', value: '123456' }] }] }));
      checkEqual((await topicConfigs(ctx, topic)).get('retention.ms'), '123456', 'retention.ms');
    },
    'admin-create-partitions': async (ctx) => {
      const topic = ctx.name();
      await createTopic(ctx, topic, 1);
      await growTopic(ctx, topic, GROWN_PARTITIONS);
      const last = GROWN_PARTITIONS - 1;
      await produce(ctx, topic, [{ partition: last, key: Buffer.from('k'), value: Buffer.from('on the new partition') }]);
      const got = await readPartition(ctx, topic, last, 1);
      checkEqual(got.map((m) => [m.partition, Number(m.offset), text(m.value)]), [[last, 0, 'on the new partition']], 'record read back');
    },
    'admin-delete-records': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, records(DELETE_RECORDS_COUNT));
      const [deleted] = await withAdmin(ctx, (a) => a.deleteRecords({ topics: [{ name: topic, partitions: [{ partition: 0, offset: BigInt(DELETE_BEFORE_OFFSET) }] }] }));
      checkEqual(deleted.partitions.map((p) => [p.partition, Number(p.lowWatermark)]), [[0, DELETE_BEFORE_OFFSET]], 'low watermark in the DeleteRecords answer');
      checkEqual(await listOffsets(ctx, topic, -2n), BigInt(DELETE_BEFORE_OFFSET), 'earliest offset');
      const got = await readUntil(ctx, topic, { mode: 'earliest' }, 'the records left', (m) => m.length >= DELETE_RECORDS_COUNT - DELETE_BEFORE_OFFSET);
      checkEqual(got.map((m) => Number(m.offset)), Array.from({ length: DELETE_RECORDS_COUNT - DELETE_BEFORE_OFFSET }, (_, i) => i + DELETE_BEFORE_OFFSET), 'offsets read from the earliest');
    },
    'admin-describe-log-dirs': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, records(10));
      const described = await withAdmin(ctx, (a) => a.describeLogDirs({ topics: [{ name: topic, partitions: [0] }] }));
      const dirs = described.flatMap((b) => b.results.map((r) => ({ broker: b.broker, ...r })));
      check(dirs.length > 0 && dirs.every((d) => d.logDir.length > 0), `log dirs ${JSON.stringify(dirs.map((d) => d.logDir))}`);
      const held = dirs.flatMap((d) => d.topics.filter((t) => t.name === topic).flatMap((t) => t.partitions.map((p) => ({ dir: d.logDir, partition: p.partitionIndex, size: Number(p.partitionSize) }))));
      checkEqual(held.map((h) => h.partition), [0], 'partitions of the topic listed');
      check(held[0].size > 0, `partition size ${held[0].size}`);
      return `${held[0].dir}: ${held[0].size} bytes`;
    },
    'admin-client-quotas': async (ctx) => {
      const clientId = ctx.name('quota-client');
      const entities = [{ entityType: 'client-id' as const, entityName: clientId }];
      const components = [{ entityType: 'client-id' as const, matchType: ClientQuotaMatchTypes.EXACT, match: clientId }];
      await withAdmin(ctx, async (a) => {
        const set = await a.alterClientQuotas({ entries: [{ entities, ops: [{ key: 'producer_byte_rate', value: 1048576, remove: false }] }] });
        checkEqual(set.map((e) => e.errorCode), [0], 'AlterClientQuotas error codes');
        const described = await a.describeClientQuotas({ components, strict: true });
        checkEqual(described.map((e) => [e.entity, e.values]), [[[{ entityType: 'client-id', entityName: clientId }], [{ key: 'producer_byte_rate', value: 1048576 }]]], 'the quota read back');
        await a.alterClientQuotas({ entries: [{ entities, ops: [{ key: 'producer_byte_rate', remove: true }] }] });
        checkEqual(await a.describeClientQuotas({ components, strict: true }), [], 'quotas after the removal');
      });
    },
    'admin-broker-configs': async (ctx) => {
      await withAdmin(ctx, async (a) => {
        const md = await a.metadata({ topics: [] });
        const id = String([...md.brokers.keys()][0]);
        const own = await brokerConfigs(a, id);
        checkEqual(own.get('inter.broker.protocol.version')?.value, INTER_BROKER_PROTOCOL_VERSION, 'inter.broker.protocol.version');
        check(own.has('log.message.format.version'), 'log.message.format.version not described');
        const cluster = { resourceType: ConfigResourceTypes.BROKER, resourceName: '' };
        await a.incrementalAlterConfigs({ resources: [{ ...cluster, configs: [{ name: BROKER_DEFAULT_NAME, configOperation: IncrementalAlterConfigOperationTypes.SET, value: BROKER_DEFAULT_VALUE }] }] });
        const set = { value: BROKER_DEFAULT_VALUE, source: ConfigSources.DYNAMIC_DEFAULT_BROKER_CONFIG };
        checkEqual((await brokerConfigs(a, '')).get(BROKER_DEFAULT_NAME), set, `${BROKER_DEFAULT_NAME} on the cluster-wide default`);
        checkEqual((await brokerConfigs(a, id)).get(BROKER_DEFAULT_NAME), set, `${BROKER_DEFAULT_NAME} on broker ${id}`);
        await a.incrementalAlterConfigs({ resources: [{ ...cluster, configs: [{ name: BROKER_DEFAULT_NAME, configOperation: IncrementalAlterConfigOperationTypes.DELETE }] }] });
        checkEqual((await brokerConfigs(a, '')).get(BROKER_DEFAULT_NAME), undefined, `${BROKER_DEFAULT_NAME} on the cluster-wide default after the delete`);
        const after = (await brokerConfigs(a, id)).get(BROKER_DEFAULT_NAME);
        check(after?.source !== ConfigSources.DYNAMIC_DEFAULT_BROKER_CONFIG && after?.value !== BROKER_DEFAULT_VALUE, `${BROKER_DEFAULT_NAME} on broker ${id} after the delete: ${JSON.stringify(after)}`);
      });
    },
    'compaction': async (ctx) => {
      const topic = ctx.name();
      await createTopic(ctx, topic, 1, 1, COMPACT_TOPIC_CONFIGS);
      const sent = compactionRecords();
      const p = new Producer(base(ctx));
      try {
        for (let i = 0; i < sent.length; i += 20) {
          await p.send({ messages: sent.slice(i, i + 20).map((r) => ({ topic, partition: 0, key: Buffer.from(r.key), value: r.value === null ? null : Buffer.from(r.value) })) as MessageToProduce[] });
        }
      } finally {
        await p.close();
      }
      return awaitCompaction(
        () => produce(ctx, topic, [{ key: Buffer.from(ROLL_KEY), value: Buffer.from('roll') }]),
        async () => {
          const high = (await listOffsets(ctx, topic, -1n)) ?? 0n;
          const got = await readUntil(ctx, topic, { mode: 'earliest' }, `records up to offset ${high}`, (m) => m.some((x) => x.offset >= high - 1n));
          return got.map((m) => ({ key: text(m.key), value: text(m.value) }));
        },
      );
    },
    'group-split': async (ctx) => {
      const { topic, members } = await splitGroup(ctx);
      try {
        await produce(ctx, topic, perPartition(10));
        // A fetch the client sent before the split may still bring records of the partition it gave
        // away (the client does not drop it, as Kafka's Java consumer does); count each member's own.
        const own = (m: Member) => m.seen.filter((s) => m.partitions.includes(s.partition));
        await waitFor('10 records per member', () => members.every((m) => own(m).length >= 10));
        for (const m of members) checkEqual(own(m).length, 10, 'records a member read from its own partition');
      } finally {
        await Promise.all(members.map((m) => m.close()));
      }
    },
    'group-commit': async (ctx) => {
      const topic = ctx.name();
      const group = ctx.name('group');
      await produce(ctx, topic, records(10));
      const m = await Member.join(ctx, group, topic);
      try {
        await waitFor('10 records', () => m.seen.length >= 10);
        await m.commit(7n);
      } finally {
        await m.close();
      }
      const c = await consumer(ctx, group);
      try {
        const committed = await c.listCommittedOffsets({ topics: [{ topic, partitions: [0] }] });
        checkEqual(committed.get(topic)?.[0], 7n, 'committed offset');
      } finally {
        await c.close(true);
      }
    },
    'group-leave': async (ctx) => {
      const { topic, members } = await splitGroup(ctx);
      const [stays, leaves] = members;
      try {
        await checkTakeover(stays, () => stays.partitions.length, () => leaves.close(), () => produce(ctx, topic, perPartition(5)));
      } finally {
        await stays.close();
      }
    },
    'group-resume-after-restart': async (ctx) => {
      const topic = ctx.name();
      const sent = records(HALF * 2);
      await produce(ctx, topic, sent.slice(0, HALF));
      const m = await Member.join(ctx, ctx.name('group'), topic);
      try {
        await waitFor('the first half', () => m.seen.length >= HALF);
        await m.commit(BigInt(HALF));
      } finally {
        await m.close();
      }
      await produce(ctx, topic, sent.slice(HALF));
    },
    'idempotent-producer': async (ctx) => {
      const topic = ctx.name();
      const sent = records(10);
      await produce(ctx, topic, sent, { idempotent: true });
      const got = await read(ctx, topic, sent.length);
      checkEqual(got.map((m) => text(m.value)), sent.map((r) => text(r.value as Buffer)), 'records stored once, in order');
    },
    'idempotent-retry': async (ctx) => {
      const topic = ctx.name();
      await createTopic(ctx, topic, 1);
      const sent = records(RETRY_RECORDS);
      const p = new Producer({ clientId: 'compat-platformatic', bootstrapBrokers: [ctx.flakyBootstrap()], retries: 10, retryDelay: 100, idempotent: true });
      try {
        for (const m of sent) await sendAcked(p, [{ ...m, topic, partition: 0 }]);
      } finally {
        await p.close();
      }
      const got = await read(ctx, topic, sent.length);
      checkEqual(got.map((m) => text(m.value)), sent.map((r) => text(r.value as Buffer)), 'records stored once, in order');
      checkEqual(await listOffsets(ctx, topic, -1n), BigInt(sent.length), 'log end offset');
    },
    'transactional-producer': async (ctx) => {
      const topic = ctx.name();
      await createTopic(ctx, topic, 1);
      await withTransactionalProducer(ctx, ctx.name('txn'), async (p) => {
        for (const t of [0, 1, 2]) {
          const tx = await p.beginTransaction();
          await tx.send({ messages: txnValues(t).map((value) => ({ topic, partition: 0, value: Buffer.from(value) })) });
          await (t === 1 ? tx.abort() : tx.commit());
        }
      });
      const committed = [...txnValues(0), ...txnValues(2)];
      const got = await read(ctx, topic, committed.length, 0n, { isolationLevel: FetchIsolationLevels.READ_COMMITTED });
      checkEqual(got.map((m) => text(m.value)), committed, 'read_committed records');
    },
    'exactly-once-restart': async (ctx) => {
      const { input, output, groupId, transactionalId } = eosNames(ctx);
      await createTopic(ctx, input, 1);
      await createTopic(ctx, output, 1);
      await produce(ctx, input, Array.from({ length: EOS_INPUT }, (_, i) => ({ value: Buffer.from(eosInput(i)) })));
      await withTransactionalProducer(ctx, transactionalId, async (p) => {
        await transformRound(ctx, p, EOS_FIRST, true);
        await transformRound(ctx, p, EOS_ABORTED, false);
      });
      checkEqual(await committedOffset(ctx, groupId, input), BigInt(EOS_FIRST), 'committed input offset before the restart');
    },
  },
  cluster: {
    'cluster-leader-routing': async (ctx) => {
      const one = firstBrokerOnly(ctx);
      const topic = ctx.name();
      await createSpreadTopic(one, topic);
      const sent = Array.from({ length: CLUSTER_PARTITIONS * ROUTING_PER_PARTITION }, (_, i) => ({ partition: i % CLUSTER_PARTITIONS, key: `p${i % CLUSTER_PARTITIONS}-${i}` }));
      await withFailoverProducer(one, (p) => sendAcked(p, sent.map(({ partition, key }) => ({ topic, partition, key: Buffer.from(key), value: Buffer.from(key) }))));
      const read = await readKeys(one, topic, sent.map((m) => m.key));
      checkEqual(read.sort(), sent.map((m) => `${m.partition}/${m.key}`).sort(), 'records read back by partition');
    },
    'cluster-broker-killed': async (ctx) => {
      const topic = ctx.name();
      await createSpreadTopic(ctx, topic);
      const r = await withFailoverProducer(ctx, (p) =>
        produceThroughKill(ctx, (key) =>
          sendAcked(p, [{ topic, key: Buffer.from(key), value: Buffer.from(key) }]).then(
            () => undefined,
            (err: unknown) => Promise.reject(new Error(`${errorText(err)} (${errorText(rootCause(err))})`)),
          ),
        ),
      );
      return throughKillDetail(r, (await readKeys(ctx, topic, r.acked)).length);
    },
    'cluster-admin': async (ctx) => {
      const topic = ctx.name();
      await createSpreadTopic(ctx, topic);
      await withAdmin(ctx, (a) => a.alterConfigs({ resources: [{ resourceType: ResourceTypes.TOPIC, resourceName: topic, configs: [{ name: 'retention.ms', value: CLUSTER_RETENTION_MS }] }] }));
      // The client sends DescribeConfigs for a topic to its first bootstrap broker: one admin per broker
      // asks each. A topic config reaches the other brokers through ZooKeeper, as in Kafka.
      for (const broker of ctx.bootstrap.split(',')) {
        await waitFor(`retention.ms ${CLUSTER_RETENTION_MS} described by ${broker}`, async () => (await topicConfigs({ ...ctx, bootstrap: broker }, topic)).get('retention.ms') === CLUSTER_RETENTION_MS, 10_000);
      }
      await growTopic(ctx, topic, CLUSTER_GROWN_PARTITIONS);
      const partition = CLUSTER_GROWN_PARTITIONS - 1;
      await withFailoverProducer(ctx, (p) => sendAcked(p, [{ topic, partition, key: Buffer.from('grown'), value: Buffer.from('grown') }]));
      const got = await readPartition(ctx, topic, partition, 1);
      checkEqual(got.map((m) => [m.partition, text(m.key)]), [[partition, 'grown']], 'record read back from the new partition');
    },
    'cluster-idempotent-leader-killed': async (ctx) => {
      const topic = ctx.name();
      await createSpreadTopic(ctx, topic);
      const r = await withFailoverProducer(
        ctx,
        (p) =>
          produceThroughKill(ctx, (key) =>
            sendAcked(p, [{ topic, key: Buffer.from(key), value: Buffer.from(key) }]).then(
              () => undefined,
              (err: unknown) => Promise.reject(new Error(`${errorText(err)} (${errorText(rootCause(err))})`)),
            ),
          ),
        { idempotent: true },
      );
      return exactlyOnceDetail(r, await readKeys(ctx, topic, r.acked));
    },
  },
  afterRestart: {
    'group-resume-after-restart': async (ctx) => {
      const m = await Member.join(ctx, ctx.name('group'), ctx.name());
      try {
        await waitFor('the second half', () => m.seen.length >= HALF);
      } finally {
        await m.close();
      }
      checkEqual(m.seen.map((s) => [Number(s.offset), text(s.value)]), records(HALF * 2).slice(HALF).map((r, i) => [i + HALF, text(r.value as Buffer)]), 'records read after the restart');
    },
    'exactly-once-restart': async (ctx) => {
      const { input, output, groupId, transactionalId } = eosNames(ctx);
      await withTransactionalProducer(ctx, transactionalId, (p) => transformRound(ctx, p, EOS_INPUT - EOS_FIRST, true));
      const got = await read(ctx, output, EOS_INPUT, 0n, { isolationLevel: FetchIsolationLevels.READ_COMMITTED });
      const want = Array.from({ length: EOS_INPUT }, (_, i) => eosTransform(eosInput(i)));
      checkEqual(got.map((m) => text(m.value)), want, 'transformed records, read_committed');
      checkEqual(await committedOffset(ctx, groupId, input), BigInt(EOS_INPUT), 'committed input offset');
    },
  },
});
