// kafkajs run script: every scenario of compat/kafkajs/scenarios.ts (protocol: compat/lib/protocol.ts).

import { readFileSync } from 'node:fs';
import { CompressionCodecs, CompressionTypes, ConfigResourceTypes, Consumer, Kafka, KafkaConfig, KafkaMessage, logLevel, Message, Producer, SASLOptions } from 'kafkajs';
import SnappyCodec from 'kafkajs-snappy';
import { exactlyOnceDetail, produceThroughKill, throughKillDetail } from '../lib/broker-killed';
import { check, checkEqual, checkSplitReads, checkTakeover, waitFor } from '../lib/check';
import { awaitCompaction } from '../lib/compaction';
import {
  CLUSTER_GROWN_PARTITIONS,
  CLUSTER_PARTITIONS,
  CLUSTER_REPLICATION,
  CLUSTER_RETENTION_MS,
  COMPACT_TOPIC_CONFIGS,
  compactionRecords,
  DELETE_BEFORE_OFFSET,
  DELETE_RECORDS_COUNT,
  GROWN_PARTITIONS,
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
import { Context, runClient, Scenario } from '../lib/harness';
import { Account, AUTHENTICATION_FAILED, expectRefusal, readSecurity, SECURE_RECORDS, secureValues, Security, TOPIC_DENIED, wrongPassword } from '../lib/security';

CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec;

function kafka(ctx: Context): Kafka {
  return new Kafka({ clientId: 'compat-kafkajs', brokers: [ctx.bootstrap], logLevel: logLevel.ERROR, retry: { retries: 3 } });
}

/** Opens a client for the scenario and always closes it. */
async function using<T extends { connect(): Promise<void>; disconnect(): Promise<void> }, R>(client: T, body: (c: T) => Promise<R>): Promise<R> {
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.disconnect();
  }
}

/** Sends to partition 0 unless told otherwise, so a broker's num.partitions cannot reorder records. */
async function produce(k: Kafka, topic: string, messages: Message[], compression?: CompressionTypes): Promise<void> {
  await using(k.producer(), (p) => p.send({ topic, compression, messages: messages.map((m) => ({ partition: 0, ...m })) }));
}

async function createTopic(k: Kafka, topic: string, numPartitions = 1, configs: Record<string, string> = {}): Promise<void> {
  const configEntries = Object.entries(configs).map(([name, value]) => ({ name, value }));
  await using(k.admin(), (admin) => admin.createTopics({ topics: [{ topic, numPartitions, configEntries }], waitForLeaders: true }));
}

/** A topic's config as the admin describes it. */
async function topicConfig(k: Kafka, topic: string, name: string): Promise<string | undefined> {
  const res = await using(k.admin(), (a) => a.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: [name] }], includeSynonyms: false }));
  return res.resources[0].configEntries.find((e) => e.configName === name)?.configValue;
}

/** Grows a topic to `count` partitions and waits until its metadata shows them all with leaders. */
async function growTopic(k: Kafka, topic: string, count: number): Promise<void> {
  await using(k.admin(), async (a) => {
    await a.createPartitions({ topicPartitions: [{ topic, count }] });
    await waitFor(`${count} partitions with leaders`, async () => {
      const { topics } = await a.fetchTopicMetadata({ topics: [topic] });
      return topics[0].partitions.length === count && topics[0].partitions.every((p) => p.leader >= 0);
    });
  });
}

interface Seen {
  partition: number;
  offset: number;
  message: KafkaMessage;
}

/** A group member that records what it is assigned and what it reads. */
interface Member {
  consumer: Consumer;
  assigned: number[];
  seen: Seen[];
}

async function startMember(k: Kafka, groupId: string, topic: string, autoCommit = true): Promise<Member> {
  const consumer = k.consumer({ groupId, heartbeatInterval: 300, sessionTimeout: 10_000, rebalanceTimeout: 10_000, maxWaitTimeInMs: 100 });
  const member: Member = { consumer, assigned: [], seen: [] };
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    member.assigned = [...(e.payload.memberAssignment[topic] ?? [])].sort();
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit,
    eachMessage: async ({ partition, message }) => {
      member.seen.push({ partition, offset: Number(message.offset), message });
    },
  });
  return member;
}

/** Reads `count` records of a topic through a fresh group, from its committed offset or the start. */
async function consume(k: Kafka, topic: string, count: number, groupId = `${topic}.reader`): Promise<Seen[]> {
  const member = await startMember(k, groupId, topic, false);
  try {
    await waitFor(`${count} records`, () => member.seen.length >= count);
    return member.seen;
  } finally {
    await member.consumer.disconnect();
  }
}

const text = (b: Buffer | null) => (b === null ? null : b.toString());

/** Reads partition 0 from its earliest offset up to its high watermark through a fresh group. */
async function readToEnd(k: Kafka, topic: string, groupId: string): Promise<Seen[]> {
  const offsets = await using(k.admin(), (a) => a.fetchTopicOffsets(topic));
  const high = Number(offsets.find((o) => o.partition === 0)?.high);
  const member = await startMember(k, groupId, topic, false);
  try {
    await waitFor(`records up to offset ${high}`, () => member.seen.some((s) => s.offset >= high - 1));
    return member.seen;
  } finally {
    await member.consumer.disconnect();
  }
}

function roundTrip(compression: CompressionTypes): Scenario {
  return async (ctx) => {
    const k = kafka(ctx);
    const topic = ctx.name();
    const records = sampleRecords();
    await produce(k, topic, records, compression);
    const seen = await consume(k, topic, records.length);
    checkEqual(seen.map((s) => ({ key: text(s.message.key), value: text(s.message.value) })), records, 'records read back');
    checkEqual(seen.map((s) => s.offset), records.map((_, i) => i), 'offsets');
  };
}

async function produceOne(ctx: Context, topic: string, value: Buffer | null): Promise<KafkaMessage> {
  const k = kafka(ctx);
  await produce(k, topic, [{ key: 'k', value }]);
  return (await consume(k, topic, 1))[0].message;
}

/** A MESSAGE_TOO_LARGE anywhere in kafkajs's error chain (retriable wrappers hide the cause). */
function isTooLarge(err: unknown): boolean {
  for (let e = err as { type?: string; cause?: unknown; originalError?: unknown } | undefined; e; e = (e.originalError ?? e.cause) as typeof e) {
    if (e.type === 'MESSAGE_TOO_LARGE') return true;
  }
  return false;
}

async function withProducer(ctx: Context, opts: Parameters<Kafka['producer']>[0], body: (p: Producer) => Promise<void>): Promise<void> {
  await using(kafka(ctx).producer(opts), body);
}

/** Two members of one group, each with one partition of a fresh two-partition topic. */
async function splitGroup(ctx: Context): Promise<{ k: Kafka; topic: string; members: Member[] }> {
  const k = kafka(ctx);
  const topic = ctx.name();
  await createTopic(k, topic, 2);
  const members = [await startMember(k, ctx.name('group'), topic)];
  members.push(await startMember(k, ctx.name('group'), topic));
  await waitFor('a split assignment', () => members.every((m) => m.assigned.length === 1) && members[0].assigned[0] !== members[1].assigned[0]);
  return { k, topic, members };
}

const perPartition = (n: number) => [0, 1].flatMap((partition) => Array.from({ length: n }, (_, i) => ({ partition, key: `p${partition}-${i}`, value: `${i}` })));

const RESTART_FIRST_HALF = 5;

/** Retries long enough to outlast a killed broker's session timeout and the leader election after it. */
const FAILOVER_RETRY = { retries: 12, initialRetryTime: 200, maxRetryTime: 2000 };

function clusterKafka(brokers: string[]): Kafka {
  return new Kafka({ clientId: 'compat-kafkajs', brokers, logLevel: logLevel.ERROR, retry: FAILOVER_RETRY });
}

/** The cluster scenarios' topic; fails unless its partitions have leaders on all three brokers. */
async function createSpreadTopic(k: Kafka, topic: string): Promise<void> {
  await using(k.admin(), async (a) => {
    await a.createTopics({ topics: [{ topic, numPartitions: CLUSTER_PARTITIONS, replicationFactor: CLUSTER_REPLICATION }], waitForLeaders: true });
    const { topics } = await a.fetchTopicMetadata({ topics: [topic] });
    checkEqual(new Set(topics[0].partitions.map((p) => p.leader)).size, CLUSTER_REPLICATION, 'brokers leading partitions');
  });
}

/** Reads a topic through a fresh group until every key in `keys` was seen; returns the keys read. */
async function consumeKeys(k: Kafka, topic: string, keys: string[]): Promise<string[]> {
  const member = await startMember(k, `${topic}.reader`, topic, false);
  try {
    const seen = () => new Set(member.seen.map((s) => text(s.message.key)));
    await waitFor(`${keys.length} keys`, () => keys.every((key) => seen().has(key)));
    return member.seen.map((s) => `${s.partition}/${text(s.message.key)}`);
  } finally {
    await member.consumer.disconnect();
  }
}

/** exactly-once-restart's topics, group and transactional id, the same in both phases. */
function eosNames(ctx: Context) {
  return { input: ctx.name('in'), output: ctx.name('out'), groupId: ctx.name('group'), transactionalId: ctx.name('txn') };
}

/**
 * One consume-transform-produce round: the group reads `count` input records from its committed
 * offset (read_committed), the producer writes their transformations and the group's next offset
 * in one transaction, then commits or aborts it.
 */
async function transformRound(ctx: Context, producer: Producer, count: number, commit: boolean): Promise<void> {
  const { input, output, groupId } = eosNames(ctx);
  const member = await startMember(kafka(ctx), groupId, input, false);
  let batch: Seen[];
  try {
    await waitFor(`${count} input records`, () => member.seen.length >= count);
    batch = member.seen.slice(0, count);
  } finally {
    await member.consumer.disconnect();
  }
  const tx = await producer.transaction();
  await tx.send({ topic: output, messages: batch.map((s) => ({ partition: 0, value: eosTransform(text(s.message.value) ?? '') })) });
  await tx.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: input, partitions: [{ partition: 0, offset: String(batch[count - 1].offset + 1) }] }] });
  await (commit ? tx.commit() : tx.abort());
}

async function committedOffset(k: Kafka, groupId: string, topic: string): Promise<string> {
  const committed = await using(k.admin(), (a) => a.fetchOffsets({ groupId, topics: [topic] }));
  return committed[0].partitions[0].offset;
}

/** A client of one secured listener. A refused one (`refused`) does not retry, so the refusal is seen at once. */
function secureKafka(bootstrap: string, config: Partial<KafkaConfig>, refused = false): Kafka {
  return new Kafka({ clientId: 'compat-kafkajs', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: refused ? 0 : 3 }, connectionTimeout: 5000, ...config });
}

/** Node's TLS options: the CA verifies the broker's certificate and host name; the client's own certificate when asked. */
function tls(s: Security, clientCertificate = false): KafkaConfig['ssl'] {
  return { ca: [readFileSync(s.caFile)], ...(clientCertificate ? { cert: readFileSync(s.clientCertFile), key: readFileSync(s.clientKeyFile) } : {}) };
}

function sasl(mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512', a: Account, password = a.password): SASLOptions {
  return { mechanism, username: a.user, password } as SASLOptions;
}

/** Over SASL_SSL as `a`. */
function saslKafka(s: Security, mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512', a: Account, password?: string, refused = false): Kafka {
  return secureKafka(s.saslSsl, { ssl: tls(s), sasl: sasl(mechanism, a, password) }, refused);
}

/** Produces SECURE_RECORDS values tagged `tag` and reads them back through a group. */
async function secureRoundTrip(k: Kafka, topic: string, tag: string): Promise<void> {
  const values = secureValues(tag);
  await produce(k, topic, values.map((value) => ({ value })));
  const seen = await consume(k, topic, SECURE_RECORDS);
  checkEqual(seen.map((s) => text(s.message.value)), values, `records read back (${tag})`);
}

/** A consumer of `topic` that must be refused: its subscribe fails or its run crashes; it reads nothing. */
async function refusedConsumer(k: Kafka, topic: string, groupId: string): Promise<string> {
  const consumer = k.consumer({ groupId, maxWaitTimeInMs: 100, retry: { retries: 0 } });
  const seen: KafkaMessage[] = [];
  try {
    return await expectRefusal('consuming', async () => {
      const crashed = new Promise<never>((_, reject) => consumer.on(consumer.events.CRASH, (e) => reject(e.payload.error)));
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(message) });
      await crashed;
    }, TOPIC_DENIED);
  } finally {
    await consumer.disconnect();
    checkEqual(seen.length, 0, 'records the refused consumer read');
  }
}

const security: Record<'ssl' | 'mtls' | 'sasl-plain' | 'sasl-scram' | 'acl-denied', Scenario> = {
  'ssl': async (ctx) => {
    const s = readSecurity();
    await secureRoundTrip(secureKafka(s.ssl, { ssl: tls(s) }), ctx.name(), 'ssl');
  },
  'mtls': async (ctx) => {
    const s = readSecurity();
    await secureRoundTrip(secureKafka(s.mtls, { ssl: tls(s, true) }), ctx.name(), 'mtls');
    const refused = await expectRefusal('without a client certificate', () => produce(secureKafka(s.mtls, { ssl: tls(s) }, true), ctx.name('refused'), [{ value: 'x' }]));
    return `with a certificate: ${SECURE_RECORDS} records round trip; ${refused}`;
  },
  'sasl-plain': async (ctx) => {
    const s = readSecurity();
    await secureRoundTrip(saslKafka(s, 'plain', s.plain), ctx.name(), 'plain');
    const refused = await expectRefusal('a wrong password', () => produce(saslKafka(s, 'plain', s.plain, wrongPassword(s.plain), true), ctx.name(), [{ value: 'x' }]), AUTHENTICATION_FAILED);
    return `${s.plain.user} over SASL_SSL: ${SECURE_RECORDS} records round trip; ${refused}`;
  },
  'sasl-scram': async (ctx) => {
    const s = readSecurity();
    await secureRoundTrip(secureKafka(s.saslPlaintext, { sasl: sasl('scram-sha-256', s.scram256) }), ctx.name('256'), 'scram-sha-256');
    await secureRoundTrip(saslKafka(s, 'scram-sha-512', s.scram512), ctx.name('512'), 'scram-sha-512');
  },
  'acl-denied': async (ctx) => {
    const s = readSecurity();
    const test = saslKafka(s, 'plain', s.plain);
    const mallory = saslKafka(s, 'plain', s.mallory, undefined, true);
    const values = secureValues('test');
    await produce(test, s.aclTopic, values.map((value) => ({ value })));
    const produceRefused = await expectRefusal('mallory producing', () => produce(mallory, s.aclTopic, [{ value: 'mallory' }]), TOPIC_DENIED);
    const consumeRefused = await refusedConsumer(mallory, s.aclTopic, ctx.name('mallory'));
    const seen = await consume(test, s.aclTopic, SECURE_RECORDS);
    checkEqual(seen.map((m) => text(m.message.value)), values, 'records test read');
    const offsets = await using(test.admin(), (a) => a.fetchTopicOffsets(s.aclTopic));
    checkEqual(offsets.find((o) => o.partition === 0)?.high, String(SECURE_RECORDS), 'log end offset (mallory stored nothing)');
    return `${produceRefused}; ${consumeRefused}; test read its ${SECURE_RECORDS} records`;
  },
};

void runClient({
  main: {
    ...security,
    'metadata': async (ctx) => {
      const k = kafka(ctx);
      const topic = ctx.name();
      await using(k.producer({ allowAutoTopicCreation: true }), (p) => p.send({ topic, messages: [{ value: 'x' }] }));
      return using(k.admin(), async (admin) => {
        const cluster = await admin.describeCluster();
        check(cluster.brokers.length > 0, 'no brokers');
        check(cluster.brokers.every((b) => b.host && b.port > 0), `bad broker addresses ${JSON.stringify(cluster.brokers)}`);
        check(cluster.brokers.some((b) => b.nodeId === cluster.controller), `controller ${cluster.controller} not among brokers`);
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
        checkEqual(topics.map((t) => t.name), [topic], 'topics');
        check(topics[0].partitions.every((p) => cluster.brokers.some((b) => b.nodeId === p.leader)), 'partition leader not a known broker');
        return `${cluster.brokers.length} broker(s), cluster ${cluster.clusterId}`;
      });
    },
    'compression-none': roundTrip(CompressionTypes.None),
    'compression-gzip': roundTrip(CompressionTypes.GZIP),
    'compression-snappy': roundTrip(CompressionTypes.Snappy),
    'keys-headers': async (ctx) => {
      const k = kafka(ctx);
      const topic = ctx.name();
      const headers = { 'trace-id': 'abc', empty: '', binary: Buffer.from([0, 255, 1]) };
      await produce(k, topic, [{ key: 'the-key', value: 'v', headers }]);
      const [{ message }] = await consume(k, topic, 1);
      checkEqual(text(message.key), 'the-key', 'key');
      const got = Object.fromEntries(Object.entries(message.headers ?? {}).map(([h, v]) => [h, Buffer.isBuffer(v) ? [...v] : v]));
      checkEqual(got, { 'trace-id': [...Buffer.from('abc')], empty: [], binary: [0, 255, 1] }, 'headers');
    },
    'null-value': async (ctx) => {
      const m = await produceOne(ctx, ctx.name(), null);
      checkEqual(m.value, null, 'value');
    },
    'empty-value': async (ctx) => {
      const m = await produceOne(ctx, ctx.name(), Buffer.alloc(0));
      check(m.value !== null, 'empty value came back null');
      checkEqual(m.value.length, 0, 'value length');
    },
    'record-near-max': async (ctx) => {
      const value = Buffer.alloc(NEAR_MAX_VALUE_BYTES, 'n');
      const m = await produceOne(ctx, ctx.name(), value);
      check(m.value !== null && m.value.equals(value), `value of ${m.value?.length} bytes differs`);
    },
    'record-over-max': async (ctx) => {
      const topic = ctx.name();
      let error: unknown;
      await withProducer(ctx, {}, async (p) => {
        await p.send({ topic, messages: [{ value: 'first' }] });
        error = await p.send({ topic, messages: [{ value: Buffer.alloc(OVER_MAX_VALUE_BYTES, 'o') }] }).then(() => undefined, (e: unknown) => e);
      });
      check(error !== undefined, 'an over-sized record was accepted');
      check(isTooLarge(error), `expected MESSAGE_TOO_LARGE, got ${String(error)}`);
      return String(error);
    },
    'fetch-mid-batch': async (ctx) => {
      const k = kafka(ctx);
      const topic = ctx.name();
      const groupId = ctx.name('group');
      const records = sampleRecords(MID_BATCH_COUNT);
      await produce(k, topic, records);
      await using(k.admin(), (a) => a.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset: String(MID_BATCH_OFFSET) }] }));
      const seen = await consume(k, topic, MID_BATCH_COUNT - MID_BATCH_OFFSET, groupId);
      checkEqual(seen.map((s) => s.offset), records.slice(MID_BATCH_OFFSET).map((_, i) => i + MID_BATCH_OFFSET), 'offsets read');
      checkEqual(seen.map((s) => text(s.message.value)), records.slice(MID_BATCH_OFFSET).map((r) => r.value), 'values read');
    },
    'list-offsets-earliest': async (ctx) => {
      const k = kafka(ctx);
      const topic = ctx.name();
      await produce(k, topic, sampleRecords(3));
      const offsets = await using(k.admin(), (a) => a.fetchTopicOffsets(topic));
      checkEqual(offsets.find((o) => o.partition === 0)?.low, '0', 'earliest offset');
    },
    'list-offsets-latest': async (ctx) => {
      const k = kafka(ctx);
      const topic = ctx.name();
      await produce(k, topic, sampleRecords(3));
      const offsets = await using(k.admin(), (a) => a.fetchTopicOffsets(topic));
      checkEqual(offsets.find((o) => o.partition === 0)?.high, '3', 'latest offset');
    },
    'list-offsets-timestamp': async (ctx) => {
      const k = kafka(ctx);
      const topic = ctx.name();
      const base = Date.now() - 60_000;
      const messages = [0, 1, 2, 3].map((i) => ({ value: `t${i}`, timestamp: String(base + i * 1000) }));
      await produce(k, topic, messages);
      const found = await using(k.admin(), (a) => a.fetchTopicOffsetsByTimestamp(topic, base + 1500));
      checkEqual(found.find((o) => o.partition === 0)?.offset, '2', 'offset for a timestamp between records 1 and 2');
    },
    'admin-create-topics': async (ctx) => {
      const k = kafka(ctx);
      const topic = ctx.name();
      await createTopic(k, topic, 3);
      const { topics } = await using(k.admin(), (a) => a.fetchTopicMetadata({ topics: [topic] }));
      checkEqual(topics[0].partitions.map((p) => p.partitionId).sort(), [0, 1, 2], 'partitions');
    },
    'admin-describe-topics': async (ctx) => {
      const k = kafka(ctx);
      const topic = ctx.name();
      await createTopic(k, topic, 2);
      await using(k.admin(), async (a) => {
        const { brokers } = await a.describeCluster();
        const ids = brokers.map((b) => b.nodeId);
        const { topics } = await a.fetchTopicMetadata({ topics: [topic] });
        for (const p of topics[0].partitions) {
          check(ids.includes(p.leader), `partition ${p.partitionId} leader ${p.leader} unknown`);
          check(p.replicas.includes(p.leader) && p.isr.includes(p.leader), `partition ${p.partitionId}: leader not in replicas/isr`);
        }
        checkEqual(topics[0].partitions.length, 2, 'partition count');
      });
    },
    'admin-delete-topics': async (ctx) => {
      const k = kafka(ctx);
      const topic = ctx.name();
      await createTopic(k, topic);
      await using(k.admin(), async (a) => {
        await a.deleteTopics({ topics: [topic] });
        await waitFor('the topic to disappear', async () => !(await a.listTopics()).includes(topic));
      });
    },
    'admin-describe-configs': async (ctx) => {
      const k = kafka(ctx);
      const topic = ctx.name();
      await createTopic(k, topic);
      const res = await using(k.admin(), (a) => a.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }], includeSynonyms: false }));
      const entries = res.resources[0].configEntries;
      checkEqual(entries.find((e) => e.configName === 'cleanup.policy')?.configValue, 'delete', 'cleanup.policy');
    },
    'admin-alter-configs': async (ctx) => {
      const k = kafka(ctx);
      const topic = ctx.name();
      await createTopic(k, topic);
      await using(k.admin(), async (a) => {
        await a.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'retention.ms', value: '123456' }] }] });
        const res = await a.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms'] }], includeSynonyms: false });
        checkEqual(res.resources[0].configEntries.find((e) => e.configName === 'retention.ms')?.configValue, '123456', 'retention.ms');
      });
    },
    'admin-create-partitions': async (ctx) => {
      const k = kafka(ctx);
      const topic = ctx.name();
      await createTopic(k, topic, 1);
      await growTopic(k, topic, GROWN_PARTITIONS);
      const last = GROWN_PARTITIONS - 1;
      await produce(k, topic, [{ partition: last, key: 'k', value: 'on the new partition' }]);
      const [seen] = await consume(k, topic, 1);
      checkEqual([seen.partition, seen.offset, text(seen.message.value)], [last, 0, 'on the new partition'], 'record read back');
    },
    'admin-delete-records': async (ctx) => {
      const k = kafka(ctx);
      const topic = ctx.name();
      const records = sampleRecords(DELETE_RECORDS_COUNT);
      await produce(k, topic, records);
      // kafkajs resolves deleteTopicRecords with nothing: the low watermark is read back through ListOffsets.
      // It finds the partition's leader only in metadata it already holds for the topic.
      await using(k.admin(), async (a) => {
        await a.fetchTopicMetadata({ topics: [topic] });
        await a.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: String(DELETE_BEFORE_OFFSET) }] });
      });
      const offsets = await using(k.admin(), (a) => a.fetchTopicOffsets(topic));
      checkEqual(offsets.find((o) => o.partition === 0)?.low, String(DELETE_BEFORE_OFFSET), 'earliest offset');
      const seen = await consume(k, topic, DELETE_RECORDS_COUNT - DELETE_BEFORE_OFFSET);
      checkEqual(seen.map((s) => s.offset), records.slice(DELETE_BEFORE_OFFSET).map((_, i) => i + DELETE_BEFORE_OFFSET), 'offsets read from the earliest');
    },
    'compaction': async (ctx) => {
      const k = kafka(ctx);
      const topic = ctx.name();
      await createTopic(k, topic, 1, COMPACT_TOPIC_CONFIGS);
      const sent = compactionRecords();
      await using(k.producer(), async (p) => {
        for (let i = 0; i < sent.length; i += 20) await p.send({ topic, messages: sent.slice(i, i + 20).map((r) => ({ partition: 0, ...r })) });
      });
      let reads = 0;
      return awaitCompaction(
        () => produce(k, topic, [{ key: ROLL_KEY, value: 'roll' }]),
        async () => (await readToEnd(k, topic, ctx.name(`reader-${reads++}`))).map((s) => ({ key: text(s.message.key), value: text(s.message.value) })),
      );
    },
    'group-split': async (ctx) => {
      const { k, topic, members } = await splitGroup(ctx);
      try {
        await produce(k, topic, perPartition(10));
        await waitFor('20 records', () => members.every((m) => m.seen.length >= 10));
        checkSplitReads(members.map((m) => ({ seen: m.seen, partitions: m.assigned })), 10);
      } finally {
        await Promise.all(members.map((m) => m.consumer.disconnect()));
      }
    },
    'group-commit': async (ctx) => {
      const k = kafka(ctx);
      const topic = ctx.name();
      const groupId = ctx.name('group');
      await produce(k, topic, sampleRecords(10));
      const member = await startMember(k, groupId, topic, false);
      try {
        await waitFor('10 records', () => member.seen.length >= 10);
        await member.consumer.commitOffsets([{ topic, partition: 0, offset: '7' }]);
      } finally {
        await member.consumer.disconnect();
      }
      const committed = await using(k.admin(), (a) => a.fetchOffsets({ groupId, topics: [topic] }));
      checkEqual(committed[0].partitions.map((p) => p.offset), ['7'], 'committed offsets');
    },
    'group-leave': async (ctx) => {
      const { k, topic, members } = await splitGroup(ctx);
      const [stays, leaves] = members;
      try {
        await checkTakeover(stays, () => stays.assigned.length, () => leaves.consumer.disconnect(), () => produce(k, topic, perPartition(5)));
        const groups = await using(k.admin(), (a) => a.describeGroups([ctx.name('group')]));
        checkEqual(groups.groups[0].members.length, 1, 'members after the leave');
      } finally {
        await stays.consumer.disconnect();
      }
    },
    'group-resume-after-restart': async (ctx) => {
      const k = kafka(ctx);
      const topic = ctx.name();
      const records = sampleRecords(RESTART_FIRST_HALF * 2);
      await produce(k, topic, records.slice(0, RESTART_FIRST_HALF));
      const member = await startMember(k, ctx.name('group'), topic, false);
      try {
        await waitFor('the first half', () => member.seen.length >= RESTART_FIRST_HALF);
        await member.consumer.commitOffsets([{ topic, partition: 0, offset: String(RESTART_FIRST_HALF) }]);
      } finally {
        await member.consumer.disconnect();
      }
      await produce(k, topic, records.slice(RESTART_FIRST_HALF));
    },
    'idempotent-producer': async (ctx) => {
      const k = kafka(ctx);
      const topic = ctx.name();
      const records = sampleRecords(10);
      await withProducer(ctx, { idempotent: true, maxInFlightRequests: 1 }, (p) => p.send({ topic, messages: records }).then(() => undefined));
      const seen = await consume(k, topic, records.length);
      checkEqual(seen.map((s) => text(s.message.value)), records.map((r) => r.value), 'records stored once, in order');
    },
    'idempotent-retry': async (ctx) => {
      const k = kafka(ctx);
      const topic = ctx.name();
      await createTopic(k, topic);
      const flaky = new Kafka({ clientId: 'compat-kafkajs', brokers: [ctx.flakyBootstrap()], logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 100 } });
      const records = sampleRecords(RETRY_RECORDS);
      await using(flaky.producer({ idempotent: true, maxInFlightRequests: 1 }), async (p) => {
        for (const r of records) await p.send({ topic, acks: -1, messages: [{ partition: 0, ...r }] });
      });
      const seen = await consume(k, topic, records.length);
      checkEqual(seen.map((s) => text(s.message.value)), records.map((r) => r.value), 'records stored once, in order');
      const offsets = await using(k.admin(), (a) => a.fetchTopicOffsets(topic));
      checkEqual(offsets.find((o) => o.partition === 0)?.high, String(records.length), 'log end offset');
    },
    'transactional-producer': async (ctx) => {
      const k = kafka(ctx);
      const topic = ctx.name();
      await createTopic(k, topic);
      await withProducer(ctx, { transactionalId: ctx.name('txn'), idempotent: true, maxInFlightRequests: 1 }, async (p) => {
        for (const t of [0, 1, 2]) {
          const tx = await p.transaction();
          await tx.send({ topic, messages: txnValues(t).map((value) => ({ partition: 0, value })) });
          await (t === 1 ? tx.abort() : tx.commit());
        }
      });
      const committed = [...txnValues(0), ...txnValues(2)];
      const seen = await consume(k, topic, committed.length);
      checkEqual(seen.map((s) => text(s.message.value)), committed, 'read_committed records');
    },
    'exactly-once-restart': async (ctx) => {
      const k = kafka(ctx);
      const { input, output, groupId, transactionalId } = eosNames(ctx);
      await createTopic(k, input);
      await createTopic(k, output);
      await produce(k, input, Array.from({ length: EOS_INPUT }, (_, i) => ({ value: eosInput(i) })));
      await withProducer(ctx, { transactionalId, idempotent: true, maxInFlightRequests: 1 }, async (p) => {
        await transformRound(ctx, p, EOS_FIRST, true);
        await transformRound(ctx, p, EOS_ABORTED, false);
      });
      checkEqual(await committedOffset(k, groupId, input), String(EOS_FIRST), 'committed input offset before the restart');
    },
  },
  cluster: {
    'cluster-leader-routing': async (ctx) => {
      // One bootstrap broker: reaching the other leaders needs the metadata it hands out.
      const k = clusterKafka([ctx.bootstrap.split(',')[0]]);
      const topic = ctx.name();
      await createSpreadTopic(k, topic);
      const messages = Array.from({ length: CLUSTER_PARTITIONS * ROUTING_PER_PARTITION }, (_, i) => ({ partition: i % CLUSTER_PARTITIONS, key: `p${i % CLUSTER_PARTITIONS}-${i}`, value: `${i}` }));
      await using(k.producer(), (p) => p.send({ topic, acks: -1, messages }));
      const read = await consumeKeys(k, topic, messages.map((m) => m.key));
      checkEqual(read.sort(), messages.map((m) => `${m.partition}/${m.key}`).sort(), 'records read back by partition');
    },
    'cluster-broker-killed': async (ctx) => {
      const k = clusterKafka(ctx.bootstrap.split(','));
      const topic = ctx.name();
      await createSpreadTopic(k, topic);
      const r = await using(k.producer({ retry: FAILOVER_RETRY }), (p) => produceThroughKill(ctx, (key) => p.send({ topic, acks: -1, messages: [{ key, value: key }] }).then(() => undefined)));
      return throughKillDetail(r, (await consumeKeys(k, topic, r.acked)).length);
    },
    'cluster-idempotent-leader-killed': async (ctx) => {
      const k = clusterKafka(ctx.bootstrap.split(','));
      const topic = ctx.name();
      await createSpreadTopic(k, topic);
      const r = await using(k.producer({ retry: FAILOVER_RETRY, idempotent: true, maxInFlightRequests: 1 }), (p) =>
        produceThroughKill(ctx, (key) => p.send({ topic, acks: -1, messages: [{ key, value: key }] }).then(() => undefined)),
      );
      return exactlyOnceDetail(r, await consumeKeys(k, topic, r.acked));
    },
    'cluster-admin': async (ctx) => {
      const k = clusterKafka(ctx.bootstrap.split(','));
      const topic = ctx.name();
      await createSpreadTopic(k, topic);
      await using(k.admin(), (a) => a.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'retention.ms', value: CLUSTER_RETENTION_MS }] }] }));
      // kafkajs sends DescribeConfigs for a topic to the controller; it cannot ask one broker of its choice.
      checkEqual(await topicConfig(k, topic, 'retention.ms'), CLUSTER_RETENTION_MS, 'retention.ms described by the controller');
      await growTopic(k, topic, CLUSTER_GROWN_PARTITIONS);
      const partition = CLUSTER_GROWN_PARTITIONS - 1;
      await using(k.producer(), (p) => p.send({ topic, acks: -1, messages: [{ partition, key: 'grown', value: 'grown' }] }));
      checkEqual(await consumeKeys(k, topic, ['grown']), [`${partition}/grown`], 'records read back');
    },
  },
  afterRestart: {
    'group-resume-after-restart': async (ctx) => {
      const k = kafka(ctx);
      const topic = ctx.name();
      const seen = await consume(k, topic, RESTART_FIRST_HALF, ctx.name('group'));
      checkEqual(seen.map((s) => s.offset), [5, 6, 7, 8, 9], 'offsets read after the restart');
      checkEqual(seen.map((s) => text(s.message.value)), sampleRecords(10).slice(RESTART_FIRST_HALF).map((r) => r.value), 'values');
    },
    'exactly-once-restart': async (ctx) => {
      const k = kafka(ctx);
      const { input, output, groupId, transactionalId } = eosNames(ctx);
      await withProducer(ctx, { transactionalId, idempotent: true, maxInFlightRequests: 1 }, (p) => transformRound(ctx, p, EOS_INPUT - EOS_FIRST, true));
      const seen = await consume(k, output, EOS_INPUT);
      const want = Array.from({ length: EOS_INPUT }, (_, i) => eosTransform(eosInput(i)));
      checkEqual(seen.map((s) => text(s.message.value)), want, 'transformed records, read_committed');
      checkEqual(await committedOffset(k, groupId, input), String(EOS_INPUT), 'committed input offset');
    },
  },
});
