// kafka-node 5 run script: the legacy message formats (v0/v1 through Produce v0-v2, Fetch v0-v2),
// ListOffsets v0 and the v0 group APIs; protocol: compat/lib/protocol.ts.

import { dirname } from 'node:path';
import { useOwnSnappy } from './own-snappy';
useOwnSnappy(dirname(require.resolve('kafka-node')));
import { readFileSync } from 'node:fs';
import { ConsumerGroup, KafkaClient, KafkaClientOptions, KeyedMessage, Message, Offset, Producer, Consumer, ProduceRequest, ProducerOptions } from 'kafka-node';
import { produceThroughKill, throughKillDetail } from '../lib/broker-killed';
import { check, checkEqual, checkSplitReads, checkTakeover, waitFor } from '../lib/check';
import { awaitCompaction } from '../lib/compaction';
import {
  COMPACT_TOPIC_CONFIGS, compactionRecords, ROLL_KEY,
  CLIENT_SIZE_LIMIT, CLUSTER_PARTITIONS, CLUSTER_REPLICATION, MID_BATCH_COUNT, MID_BATCH_OFFSET, NEAR_MAX_VALUE_BYTES, OVER_MAX_VALUE_BYTES,
  ROUTING_PER_PARTITION, sampleRecords,
} from '../lib/data';
import { Context, errorText, runClient, Scenario } from '../lib/harness';
import { Account, AUTHENTICATION_FAILED, expectRefusal, readSecurity, SECURE_RECORDS, secureValues, Security, TOPIC_DENIED, wrongPassword } from '../lib/security';

/** kafka-node's message attributes: the codec in the low bits. */
const CODECS = { none: 0, gzip: 1, snappy: 2 } as const;

function call<T>(fn: (cb: (err: unknown, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));
}

/** A scenario's context, perhaps for a listener of the secured broker that needs client options (TLS, SASL). */
interface Target extends Context {
  clientOptions?: KafkaClientOptions;
}

async function client<T>(ctx: Target, body: (c: KafkaClient) => Promise<T>): Promise<T> {
  const c = new KafkaClient({ kafkaHost: ctx.bootstrap, requestTimeout: 20_000, ...ctx.clientOptions });
  try {
    await new Promise<void>((resolve, reject) => {
      c.once('ready', () => resolve());
      c.once('error', reject);
    });
    return await body(c);
  } finally {
    await new Promise<void>((resolve) => c.close(() => resolve()));
  }
}

/** Sends the payloads in one request per leader through a producer of its own. */
async function send(ctx: Context, payloads: ProduceRequest[], options: ProducerOptions = { requireAcks: 1 }): Promise<unknown> {
  return client(ctx, async (c) => {
    // The client is ready already, so the producer is too: it would emit 'ready' in its constructor.
    const p = new Producer(c, options);
    return call((cb) => p.send(payloads, cb));
  });
}

/** Sends one request (one message set) to partition 0 unless told otherwise. */
async function produce(ctx: Context, topic: string, messages: (KeyedMessage | string | Buffer)[], attributes = 0, partition = 0): Promise<unknown> {
  return send(ctx, [{ topic, messages, partition, attributes }]);
}

async function createTopic(ctx: Context, topic: string, partitions: number, replicationFactor = 1, configs: Record<string, string> = {}): Promise<void> {
  const configEntries = Object.entries(configs).map(([name, value]) => ({ name, value }));
  const result = await client(ctx, (c) => call<{ topic: string; error?: string }[]>((cb) => c.createTopics([{ topic, partitions, replicationFactor, configEntries }], cb)));
  check(result.every((r) => !r.error), `createTopics: ${JSON.stringify(result)}`);
}

/** Reads `count` records of partition 0 from `offset` with a plain (group-less) consumer. */
function read(ctx: Context, topic: string, count: number, offset = 0): Promise<Message[]> {
  return readUntil(ctx, topic, offset, `${count} records`, (got) => got.length >= count);
}

async function readUntil(ctx: Context, topic: string, offset: number, what: string, enough: (got: Message[]) => boolean): Promise<Message[]> {
  return client(ctx, async (c) => {
    const consumer = new Consumer(c, [{ topic, partition: 0, offset }], {
      fromOffset: true, autoCommit: false, encoding: 'buffer', keyEncoding: 'buffer', fetchMaxBytes: CLIENT_SIZE_LIMIT, fetchMaxWaitMs: 100,
    } as object);
    const got: Message[] = [];
    let failure: unknown;
    consumer.on('message', (m) => got.push(m));
    consumer.on('error', (e) => (failure = e));
    try {
      await waitFor(what, () => {
        if (failure) throw failure;
        return enough(got);
      });
      return got;
    } finally {
      await new Promise<void>((resolve) => consumer.close(false, () => resolve()));
    }
  });
}

interface Metadata {
  brokers: { nodeId: number; host: string; port: number }[];
  partitions: { leader: number; replicas: number[]; isr: number[] }[];
}

async function loadMetadata(ctx: Context, topic: string): Promise<Metadata> {
  const answer = await client(ctx, (c) => call<unknown>((cb) => c.loadMetadataForTopics([topic], cb)));
  const [brokers, { metadata }] = answer as [Record<string, Metadata['brokers'][0]>, { metadata: Record<string, Record<string, Metadata['partitions'][0]>> }];
  return { brokers: Object.values(brokers), partitions: Object.values(metadata[topic] ?? {}) };
}

const asText = (v: unknown) => (v === null || v === undefined ? null : Buffer.isBuffer(v) ? v.toString() : String(v));

function roundTrip(codec: keyof typeof CODECS): Scenario {
  return async (ctx) => {
    const topic = ctx.name();
    const sent = sampleRecords();
    await produce(ctx, topic, sent.map((r) => new KeyedMessage(r.key, r.value)), CODECS[codec]);
    const got = await read(ctx, topic, sent.length);
    checkEqual(got.map((m) => [m.offset, asText(m.key), asText(m.value)]), sent.map((r, i) => [i, r.key, r.value]), 'records read back');
  };
}

async function listOffset(ctx: Context, topic: string, time: number): Promise<number> {
  const answer = await client(ctx, (c) => call<Record<string, Record<string, number[]>>>((cb) => new Offset(c).fetch([{ topic, partition: 0, time, maxNum: 1 }], cb)));
  return answer[topic]['0'][0];
}

/** A ConsumerGroup member; its assignment is the partitions it fetches after a rebalance. */
class Member {
  readonly seen: Message[] = [];
  partitions: number[] = [];
  readonly group: ConsumerGroup;

  constructor(ctx: Context, groupId: string, topic: string) {
    this.group = new ConsumerGroup({
      kafkaHost: ctx.bootstrap, groupId, fromOffset: 'earliest', autoCommit: false, sessionTimeout: 10_000, heartbeatInterval: 300,
      protocol: ['roundrobin'], encoding: 'buffer', fetchMaxWaitMs: 100,
    } as object as ConstructorParameters<typeof ConsumerGroup>[0], [topic]);
    this.group.on('message', (m) => this.seen.push(m));
    this.group.on('rebalanced', () => {
      const payloads = (this.group as unknown as { topicPayloads: { partition: number }[] }).topicPayloads;
      this.partitions = payloads.map((p) => p.partition).sort();
    });
  }

  commit(topic: string, offset: number): Promise<unknown> {
    return call((cb) => this.group.sendOffsetCommitRequest([{ topic, partition: 0, offset, metadata: 'm' }], cb));
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.group.close(false, (err) => (err ? reject(err) : resolve())));
  }
}

async function splitGroup(ctx: Context): Promise<{ topic: string; members: Member[] }> {
  const topic = ctx.name();
  await createTopic(ctx, topic, 2);
  const members = [new Member(ctx, ctx.name('group'), topic), new Member(ctx, ctx.name('group'), topic)];
  await waitFor('a split assignment', () => members.every((m) => m.partitions.length === 1) && members[0].partitions[0] !== members[1].partitions[0]);
  return { topic, members };
}

async function producePerPartition(ctx: Context, topic: string, n: number): Promise<void> {
  for (const partition of [0, 1]) await produce(ctx, topic, Array.from({ length: n }, (_, i) => `p${partition}-${i}`), 0, partition);
}

const HALF = 5;

/** kafka-node's ackTimeoutMs defaults to 100 ms, shorter than the in-sync replicas may take to confirm. */
const ALL_ACKS: ProducerOptions = { requireAcks: -1, ackTimeoutMs: 10_000 };
/** PARTITIONER_TYPES.keyed, by key hash (the default Producer sends everything to the first partition). */
const KEYED = 3;
/** kafka-node never retries a send: the scenario re-sends, as kafka-python does with retries=30, retry.backoff.ms=300. */
const RESENDS = 30;
const RESEND_BACKOFF_MS = 300;

/** The cluster scenarios' topic; waits until kafka-node's metadata shows its partitions led by all three brokers. */
async function createSpreadTopic(ctx: Context, topic: string): Promise<void> {
  await createTopic(ctx, topic, CLUSTER_PARTITIONS, CLUSTER_REPLICATION);
  await waitFor('leaders on all three brokers', async () => {
    const { partitions } = await loadMetadata(ctx, topic);
    return partitions.length === CLUSTER_PARTITIONS && new Set(partitions.map((p) => p.leader)).size === CLUSTER_REPLICATION;
  });
}

/**
 * Reads the topic through a fresh group until each of `keys` was seen; returns "partition key" per record.
 * A group, not a plain Consumer: that one reads twice from a leader it is still connecting to (FINDINGS.md).
 */
async function readKeys(ctx: Context, topic: string, keys: string[]): Promise<string[]> {
  const reader = new Member(ctx, `${topic}.reader`, topic);
  try {
    await waitFor(`${keys.length} keys`, () => {
      const seen = new Set(reader.seen.map((m) => asText(m.key)));
      return keys.every((k) => seen.has(k));
    });
    return reader.seen.map((m) => `${m.partition} ${asText(m.key)}`);
  } finally {
    await reader.close();
  }
}

/** Sends one keyed record, re-sending it after a failure up to RESENDS times; says whether it was acknowledged and how many sends failed. */
async function sendWithResends(ctx: Context, p: Producer, topic: string, key: string): Promise<{ acked: boolean; failures: number }> {
  let failures = 0;
  for (;;) {
    try {
      await call((cb) => p.send([{ topic, key, messages: key }], cb));
      return { acked: true, failures };
    } catch (err) {
      failures++;
      ctx.log(`send ${key} failed: ${errorText(err)}`);
      if (failures > RESENDS) return { acked: false, failures };
      await new Promise((r) => setTimeout(r, RESEND_BACKOFF_MS));
    }
  }
}

/** A listener of the secured broker, through Node's TLS with the CA (host name checked) and the client certificate when asked. */
function tlsTarget(ctx: Context, s: Security, bootstrap: string, clientCertificate = false, sasl?: object): Target {
  const cert = clientCertificate ? { cert: readFileSync(s.clientCertFile), key: readFileSync(s.clientKeyFile) } : {};
  return { ...ctx, bootstrap, clientOptions: { sslOptions: { ca: [readFileSync(s.caFile)], ...cert }, sasl, connectTimeout: 5000, connectRetryOptions: { retries: 0 } } };
}

/** SASL_SSL as `a`: kafka-node speaks SASL/PLAIN only. */
const plainTarget = (ctx: Context, s: Security, a: Account, password = a.password): Target => tlsTarget(ctx, s, s.saslSsl, false, { mechanism: 'plain', username: a.user, password });

/** Produces SECURE_RECORDS values tagged `tag` and reads them back, both through `target`. */
async function secureRoundTrip(target: Target, topic: string, tag: string): Promise<void> {
  const values = secureValues(tag);
  await produce(target, topic, values);
  checkEqual((await read(target, topic, SECURE_RECORDS)).map((m) => asText(m.value)), values, `records read back (${tag})`);
}

const security: Record<'ssl' | 'mtls' | 'sasl-plain' | 'acl-denied', Scenario> = {
  'ssl': async (ctx) => {
    const s = readSecurity();
    await secureRoundTrip(tlsTarget(ctx, s, s.ssl), ctx.name(), 'ssl');
  },
  'mtls': async (ctx) => {
    const s = readSecurity();
    await secureRoundTrip(tlsTarget(ctx, s, s.mtls, true), ctx.name(), 'mtls');
    // kafka-node connects (TCP) before TLS 1.3 tells it its missing certificate was refused, and then
    // waits for its first answer for ever, reporting nothing: silence is its refusal.
    const refused = await expectRefusal('without a client certificate', () => produce(tlsTarget(ctx, s, s.mtls), ctx.name('refused'), ['x']), undefined, true);
    return `with a certificate: ${SECURE_RECORDS} records round trip; ${refused}`;
  },
  'sasl-plain': async (ctx) => {
    const s = readSecurity();
    await secureRoundTrip(plainTarget(ctx, s, s.plain), ctx.name(), 'plain');
    const refused = await expectRefusal('a wrong password', () => produce(plainTarget(ctx, s, s.plain, wrongPassword(s.plain)), ctx.name(), ['x']), AUTHENTICATION_FAILED);
    return `${s.plain.user} over SASL_SSL: ${SECURE_RECORDS} records round trip; ${refused}`;
  },
  'acl-denied': async (ctx) => {
    const s = readSecurity();
    const test = plainTarget(ctx, s, s.plain);
    const mallory = plainTarget(ctx, s, s.mallory);
    const values = secureValues('test');
    await produce(test, s.aclTopic, values);
    const produceRefused = await expectRefusal('mallory producing', () => produce(mallory, s.aclTopic, ['mallory']), TOPIC_DENIED);
    let malloryRead: Message[] = [];
    // kafka-node's Consumer first checks the topic exists in a Metadata request for all topics, from
    // which Kafka leaves out the topics the principal may not describe: mallory is told it does not exist.
    const hidden = new RegExp(`${TOPIC_DENIED.source}|TopicsNotExistError`, 'i');
    const consumeRefused = await expectRefusal('mallory consuming', async () => void (malloryRead = await read(mallory, s.aclTopic, 1)), hidden);
    checkEqual(malloryRead.length, 0, 'records mallory read');
    checkEqual((await read(test, s.aclTopic, SECURE_RECORDS)).map((m) => asText(m.value)), values, 'records test read');
    checkEqual(await listOffset(test, s.aclTopic, -1), SECURE_RECORDS, 'log end offset (mallory stored nothing)');
    return `${produceRefused}; ${consumeRefused}; test read its ${SECURE_RECORDS} records`;
  },
};

void runClient({
  main: {
    ...security,
    'metadata': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, ['x']);
      const { brokers: list, partitions } = await loadMetadata(ctx, topic);
      check(list.length > 0 && list.every((b) => b.host && b.port > 0), `brokers ${JSON.stringify(list)}`);
      check(partitions.length > 0, 'topic not in metadata');
      check(partitions.every((p) => list.some((b) => b.nodeId === p.leader)), 'partition leader not a known broker');
      return list.map((b) => `${b.nodeId}@${b.host}:${b.port}`).join(', ');
    },
    'compression-none': roundTrip('none'),
    'compression-gzip': roundTrip('gzip'),
    'compression-snappy': roundTrip('snappy'),
    'null-value': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, [new KeyedMessage('k', null as unknown as string)]);
      const [m] = await read(ctx, topic, 1);
      checkEqual(m.value, null, 'value');
    },
    'empty-value': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, [new KeyedMessage('k', Buffer.alloc(0) as unknown as string)]);
      const [m] = await read(ctx, topic, 1);
      check(Buffer.isBuffer(m.value), `value ${JSON.stringify(m.value)} is not an empty buffer`);
      checkEqual(m.value.length, 0, 'value length');
    },
    'record-near-max': async (ctx) => {
      const topic = ctx.name();
      const value = Buffer.alloc(NEAR_MAX_VALUE_BYTES, 'n');
      await produce(ctx, topic, [value]);
      const [m] = await read(ctx, topic, 1);
      check(Buffer.isBuffer(m.value) && m.value.equals(value), `value of ${(m.value as Buffer | null)?.length} bytes differs`);
    },
    'record-over-max': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, ['first']);
      const error = await produce(ctx, topic, [Buffer.alloc(OVER_MAX_VALUE_BYTES, 'o')]).then(() => undefined, (e: unknown) => e);
      check(error !== undefined, 'an over-sized record was accepted');
      check(/MessageSizeTooLarge|too large/i.test(`${(error as Error).name} ${(error as Error).message}`), `expected MESSAGE_TOO_LARGE, got ${String(error)}`);
      checkEqual((await read(ctx, topic, 1)).map((m) => asText(m.value)), ['first'], 'records stored');
      return `${(error as Error).name}: ${(error as Error).message}`;
    },
    'fetch-mid-batch': async (ctx) => {
      // Uncompressed: the broker keeps the message set as one v2 batch and must drop the records
      // before the fetch offset when it converts the batch down to v1 (see FINDINGS.md for gzip).
      const topic = ctx.name();
      const values = sampleRecords(MID_BATCH_COUNT).map((r) => r.value);
      await produce(ctx, topic, values);
      const got = await read(ctx, topic, MID_BATCH_COUNT - MID_BATCH_OFFSET, MID_BATCH_OFFSET);
      checkEqual(got.map((m) => [m.offset, asText(m.value)]), values.slice(MID_BATCH_OFFSET).map((v, i) => [i + MID_BATCH_OFFSET, v]), 'records from the middle');
    },
    'list-offsets-earliest': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, ['a', 'b', 'c']);
      checkEqual(await listOffset(ctx, topic, -2), 0, 'earliest offset');
    },
    'list-offsets-latest': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, ['a', 'b', 'c']);
      checkEqual(await listOffset(ctx, topic, -1), 3, 'latest offset');
    },
    'compaction': async (ctx) => {
      const topic = ctx.name();
      await createTopic(ctx, topic, 1, 1, COMPACT_TOPIC_CONFIGS);
      const sent = compactionRecords();
      for (let i = 0; i < sent.length; i += 20) await produce(ctx, topic, sent.slice(i, i + 20).map((r) => new KeyedMessage(r.key, r.value as string)));
      return awaitCompaction(
        async () => void (await produce(ctx, topic, [new KeyedMessage(ROLL_KEY, 'roll')])),
        async () => {
          const [earliest, high] = [await listOffset(ctx, topic, -2), await listOffset(ctx, topic, -1)];
          const got = await readUntil(ctx, topic, earliest, `records up to offset ${high}`, (m) => m.some((x) => (x.offset ?? -1) >= high - 1));
          return got.map((m) => ({ key: asText(m.key), value: asText(m.value) }));
        },
      );
    },
    'admin-create-topics': async (ctx) => {
      const topic = ctx.name();
      await createTopic(ctx, topic, 3);
      checkEqual((await loadMetadata(ctx, topic)).partitions.length, 3, 'partitions');
    },
    'admin-describe-topics': async (ctx) => {
      const topic = ctx.name();
      await createTopic(ctx, topic, 2);
      const { brokers, partitions } = await loadMetadata(ctx, topic);
      checkEqual(partitions.length, 2, 'partition count');
      for (const p of partitions) {
        check(brokers.some((b) => b.nodeId === p.leader) && p.replicas.includes(p.leader) && p.isr.includes(p.leader), `partition ${JSON.stringify(p)}: leader not a broker, replica and in-sync replica`);
      }
    },
    'admin-describe-configs': async (ctx) => {
      const topic = ctx.name();
      await createTopic(ctx, topic, 1);
      const answer = await client(ctx, (c) => call<{ configEntries: { configName: string; configValue: string }[] }[]>((cb) =>
        (c as unknown as { describeConfigs(p: object, cb: (e: unknown, r: unknown) => void): void }).describeConfigs(
          { resources: [{ resourceType: 'topic', resourceName: topic, configNames: [] }], includeSynonyms: false }, cb as (e: unknown, r: unknown) => void)));
      checkEqual(answer[0].configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue, 'delete', 'cleanup.policy');
    },
    'group-split': async (ctx) => {
      const { topic, members } = await splitGroup(ctx);
      try {
        await producePerPartition(ctx, topic, 10);
        await waitFor('10 records per member', () => members.every((m) => m.seen.length >= 10));
        checkSplitReads(members, 10);
      } finally {
        await Promise.all(members.map((m) => m.close()));
      }
    },
    'group-commit': async (ctx) => {
      const topic = ctx.name();
      const group = ctx.name('group');
      await produce(ctx, topic, sampleRecords(10).map((r) => r.value));
      const m = new Member(ctx, group, topic);
      try {
        await waitFor('10 records', () => m.seen.length >= 10);
        await m.commit(topic, 7);
      } finally {
        await m.close();
      }
      const fetched = await client(ctx, (c) => call<Record<string, Record<string, number>>>((cb) => new Offset(c).fetchCommits(group, [{ topic, partition: 0 }], cb)));
      checkEqual(fetched[topic]?.['0'], 7, 'committed offset');
    },
    'group-leave': async (ctx) => {
      const { topic, members } = await splitGroup(ctx);
      const [stays, leaves] = members;
      try {
        await checkTakeover(stays, () => stays.partitions.length, () => leaves.close(), () => producePerPartition(ctx, topic, 5));
      } finally {
        await stays.close();
      }
    },
    'group-resume-after-restart': async (ctx) => {
      const topic = ctx.name();
      const values = sampleRecords(HALF * 2).map((r) => r.value);
      await produce(ctx, topic, values.slice(0, HALF));
      const m = new Member(ctx, ctx.name('group'), topic);
      try {
        await waitFor('the first half', () => m.seen.length >= HALF);
        await m.commit(topic, HALF);
      } finally {
        await m.close();
      }
      await produce(ctx, topic, values.slice(HALF));
    },
  },
  cluster: {
    'cluster-leader-routing': async (ctx) => {
      // One bootstrap broker: reaching the other leaders needs the metadata it hands out.
      const one = { ...ctx, bootstrap: ctx.bootstrap.split(',')[0] };
      const topic = ctx.name();
      await createSpreadTopic(one, topic);
      const sent = Array.from({ length: CLUSTER_PARTITIONS * ROUTING_PER_PARTITION }, (_, i) => ({ partition: i % CLUSTER_PARTITIONS, key: `p${i % CLUSTER_PARTITIONS}-${i}` }));
      // kafka-node joins the payloads of one partition into one message set and sends one request per leader.
      await send(one, sent.map((r) => ({ topic, partition: r.partition, messages: [new KeyedMessage(r.key, r.key)] })), ALL_ACKS);
      const read = await readKeys(one, topic, sent.map((r) => r.key));
      checkEqual(read.sort(), sent.map((r) => `${r.partition} ${r.key}`).sort(), 'records read back by partition');
    },
    'cluster-broker-killed': async (ctx) => {
      const topic = ctx.name();
      await createSpreadTopic(ctx, topic);
      let resent = 0;
      const r = await client(ctx, async (c) => {
        // The keyed partitioner picks among the partitions in the client's metadata.
        await call((cb) => c.refreshMetadata([topic], (err) => cb(err, undefined)));
        const p = new Producer(c, { ...ALL_ACKS, partitionerType: KEYED });
        // A failed metadata refresh is emitted, not thrown; the next send refreshes again.
        p.on('error', (err) => ctx.log(`producer: ${errorText(err)}`));
        return produceThroughKill(ctx, async (key) => {
          const sent = await sendWithResends(ctx, p, topic, key);
          resent += sent.failures;
          if (!sent.acked) throw new Error(`not acknowledged after ${RESENDS} re-sends`);
        });
      });
      return throughKillDetail(r, (await readKeys(ctx, topic, r.acked)).length, `${resent} sends failed and were re-sent`);
    },
  },
  afterRestart: {
    'group-resume-after-restart': async (ctx) => {
      const m = new Member(ctx, ctx.name('group'), ctx.name());
      try {
        await waitFor('the second half', () => m.seen.length >= HALF);
      } finally {
        await m.close();
      }
      const values = sampleRecords(HALF * 2).map((r) => r.value);
      checkEqual(m.seen.map((s) => [s.offset, asText(s.value)]), values.slice(HALF).map((v, i) => [i + HALF, v]), 'records read after the restart');
    },
  },
});
