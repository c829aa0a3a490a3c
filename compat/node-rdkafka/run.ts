// node-rdkafka run script (its bundled librdkafka 2.12); protocol: compat/lib/protocol.ts.

import { Assignment, features, KafkaConsumer, Message, MessageHeader } from 'node-rdkafka';
import { exactlyOnceDetail, ThroughKill, produceThroughKill, throughKillDetail } from '../lib/broker-killed';
import { check, checkEqual, checkSplitReads, checkTakeover, waitFor } from '../lib/check';
import { awaitCompaction } from '../lib/compaction';
import {
  COMPACT_TOPIC_CONFIGS,
  compactionRecords,
  GROWN_PARTITIONS,
  ROLL_KEY,
  CLUSTER_PARTITIONS,
  CLUSTER_REPLICATION,
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
import { Context, NotApplicable, runClient, Scenario } from '../lib/harness';
import { AUTHENTICATION_FAILED, expectRefusal, rdkafkaSasl, rdkafkaSaslPlaintext, rdkafkaTls, readSecurity, REFUSAL_WAIT_MS, SECURE_RECORDS, secureValues, TOPIC_DENIED, wrongPassword } from '../lib/security';
import { closeConsumer, CODES, consumeBatch, createPartitions, createTopic, metadata, openConsumer, Outgoing, produce, Producer, withAdmin } from './rdkafka';

const records = (n: number): Outgoing[] => sampleRecords(n).map((r) => ({ key: r.key, value: Buffer.from(r.value) }));
const text = (b: Buffer | null | undefined) => (b === null || b === undefined ? null : b.toString());

/** Reads `count` records of a partition (default 0) from `offset` (default: the beginning). */
async function read(ctx: Context, topic: string, count: number, offset = 0, conf = {}, partition = 0): Promise<Message[]> {
  return readUntil(ctx, topic, partition, offset, `${count} records`, (got) => got.length >= count, conf);
}

async function readUntil(ctx: Context, topic: string, partition: number, offset: number, what: string, enough: (got: Message[]) => boolean, conf = {}): Promise<Message[]> {
  const c = await openConsumer(ctx.bootstrap, ctx.name('reader'), conf);
  try {
    c.assign([{ topic, partition, offset }]);
    const got: Message[] = [];
    await waitFor(what, async () => {
      got.push(...(await consumeBatch(c)));
      return enough(got);
    });
    return got;
  } finally {
    await closeConsumer(c);
  }
}

/** RD_KAFKA_OFFSET_BEGINNING: the partition's earliest offset, whatever it is. */
const EARLIEST = -2;

function roundTrip(codec: string): Scenario {
  return async (ctx) => {
    if (!features.includes(codec) && codec !== 'none') throw new NotApplicable(`this librdkafka build lacks ${codec}`);
    const topic = ctx.name();
    const sent = records(200);
    checkEqual(await produce(ctx.bootstrap, topic, sent, { 'compression.codec': codec }), sent.map((_, i) => i), 'offsets acknowledged');
    const got = await read(ctx, topic, sent.length);
    checkEqual(got.map((m) => [m.offset, text(m.key as Buffer), text(m.value)]), sent.map((r, i) => [i, r.key, text(r.value)]), 'records read back');
  };
}

/** A subscribed member that assigns what the group gives it and keeps consuming until closed. */
class Member {
  partitions: number[] = [];
  readonly seen: Message[] = [];
  private running = true;
  private loop: Promise<void> = Promise.resolve();

  private constructor(readonly consumer: KafkaConsumer) {}

  static async join(ctx: Context, group: string, topic: string, conf = {}): Promise<Member> {
    let member: Member | undefined;
    const c = await openConsumer(ctx.bootstrap, group, {
      ...conf,
      rebalance_cb: (err: { code: number }, assignment: Assignment[]) => {
        if (err.code === CODES.ERRORS.ERR__ASSIGN_PARTITIONS) {
          c.assign(assignment);
          member!.partitions = assignment.map((a) => a.partition).sort();
        } else {
          c.unassign();
          member!.partitions = [];
        }
      },
    });
    const joined = new Member(c);
    member = joined;
    c.subscribe([topic]);
    joined.loop = joined.consumeUntilClosed();
    return joined;
  }

  private async consumeUntilClosed(): Promise<void> {
    while (this.running) this.seen.push(...(await consumeBatch(this.consumer)));
  }

  commit(topic: string, offset: number): void {
    this.consumer.commitSync({ topic, partition: 0, offset });
  }

  async close(): Promise<void> {
    this.running = false;
    await this.loop;
    await closeConsumer(this.consumer);
  }
}

async function splitGroup(ctx: Context): Promise<{ topic: string; members: Member[] }> {
  const topic = ctx.name();
  await createTopic(ctx.bootstrap, topic, 2);
  const members = [await Member.join(ctx, ctx.name('group'), topic), await Member.join(ctx, ctx.name('group'), topic)];
  await waitFor('a split assignment', () => members.every((m) => m.partitions.length === 1) && members[0].partitions[0] !== members[1].partitions[0]);
  return { topic, members };
}

const perPartition = (n: number): Outgoing[] => [0, 1].flatMap((partition) => Array.from({ length: n }, (_, i) => ({ partition, value: Buffer.from(`p${partition}-${i}`) })));

async function committed(ctx: Context, group: string, topic: string): Promise<number | undefined> {
  const c = await openConsumer(ctx.bootstrap, group);
  try {
    const tps = await new Promise<{ offset?: number }[]>((resolve, reject) => c.committed([{ topic, partition: 0 }], 10_000, (err, t) => (err ? reject(err) : resolve(t))));
    return tps[0].offset;
  } finally {
    await closeConsumer(c);
  }
}

async function offsetFor(ctx: Context, topic: string, timestamp: number): Promise<number> {
  const c = await openConsumer(ctx.bootstrap, ctx.name('reader'));
  try {
    const found = await new Promise<{ offset: number }[]>((resolve, reject) =>
      c.offsetsForTimes([{ topic, partition: 0, offset: timestamp }], 10_000, (err, o) => (err ? reject(err) : resolve(o))));
    return found[0].offset;
  } finally {
    await closeConsumer(c);
  }
}

async function watermarks(ctx: Context, topic: string, bootstrap = ctx.bootstrap, conf = {}): Promise<{ lowOffset: number; highOffset: number }> {
  const c = await openConsumer(bootstrap, ctx.name('reader'), conf);
  try {
    return await new Promise((resolve, reject) => c.queryWatermarkOffsets(topic, 0, 10_000, (err, o) => (err ? reject(err) : resolve(o))));
  } finally {
    await closeConsumer(c);
  }
}

const HALF = 5;

/** The cluster scenarios' topic; waits until its partitions have leaders on all three brokers. */
async function createSpreadTopic(bootstrap: string, topic: string): Promise<void> {
  await createTopic(bootstrap, topic, CLUSTER_PARTITIONS, CLUSTER_REPLICATION);
  const p = await Producer.open(bootstrap);
  try {
    await waitFor('leaders on all three brokers', async () => {
      const t = (await metadata(p.raw(), topic)).topics.find((x) => x.name === topic);
      return t?.partitions.length === CLUSTER_PARTITIONS && new Set(t.partitions.map((x) => x.leader)).size === CLUSTER_REPLICATION;
    });
  } finally {
    await p.close();
  }
}

/** Reads every partition from the start until each of `keys` was seen; returns "partition key" per record. */
async function readKeys(ctx: Context, bootstrap: string, topic: string, keys: string[]): Promise<string[]> {
  const c = await openConsumer(bootstrap, ctx.name('reader'));
  try {
    c.assign(Array.from({ length: CLUSTER_PARTITIONS }, (_, partition) => ({ topic, partition, offset: 0 })));
    const got: Message[] = [];
    const seen = new Set<string | null>();
    await waitFor(`${keys.length} keys`, async () => {
      for (const m of await consumeBatch(c)) got.push(m), seen.add(text(m.key as Buffer));
      return keys.every((k) => seen.has(k));
    });
    return got.map((m) => `${m.partition} ${text(m.key as Buffer)}`);
  } finally {
    await closeConsumer(c);
  }
}

/** librdkafka retries a send until this; long enough to outlast a failover, short enough to report. */
const FAILOVER_CONF = { acks: 'all', 'linger.ms': 5, 'message.timeout.ms': 30_000 };
/** RD_KAFKA_PARTITION_UA: the partitioner picks by key. */
const BY_KEY = -1;

const call = (fn: (cb: (err: unknown) => void) => void) => new Promise<void>((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));

/** A transactional producer with its transactions initialised, always closed. */
async function withTransactions(bootstrap: string, transactionalId: string, body: (p: Producer) => Promise<void>): Promise<void> {
  const p = await Producer.open(bootstrap, { 'transactional.id': transactionalId });
  try {
    await call((cb) => p.raw().initTransactions(20_000, cb));
    await body(p);
  } finally {
    await p.close();
  }
}

async function endTransaction(p: Producer, commit: boolean): Promise<void> {
  await call((cb) => (commit ? p.raw().commitTransaction(20_000, cb) : p.raw().abortTransaction(20_000, cb)));
}

/** exactly-once-restart's topics, group and transactional id, the same in both phases. */
function eosNames(ctx: Context) {
  return { input: ctx.name('in'), output: ctx.name('out'), groupId: ctx.name('group'), transactionalId: ctx.name('txn') };
}

/**
 * One consume-transform-produce round: the group reads `count` input records from its committed
 * offset, the producer writes their transformations and the group's next offset in one
 * transaction (sendOffsetsToTransaction with the consumer's group metadata), then commits or aborts.
 */
async function transformRound(ctx: Context, p: Producer, count: number, commit: boolean): Promise<void> {
  const { input, output, groupId } = eosNames(ctx);
  const m = await Member.join(ctx, groupId, input, { 'isolation.level': 'read_committed' });
  try {
    await waitFor(`${count} input records`, () => m.seen.length >= count);
    const batch = m.seen.slice(0, count);
    await call((cb) => p.raw().beginTransaction(cb));
    await p.send(output, batch.map((msg) => ({ value: Buffer.from(eosTransform(text(msg.value) ?? '')) })));
    await call((cb) => p.raw().sendOffsetsToTransaction([{ topic: input, partition: 0, offset: batch[count - 1].offset + 1 }], m.consumer, 20_000, cb));
    await endTransaction(p, commit);
  } finally {
    await m.close();
  }
}

/** Reads `count` records of partition 0 from the start through the listener at `bootstrap` with `conf`. */
async function secureRead(ctx: Context, bootstrap: string, conf: Record<string, string>, topic: string, count: number): Promise<Message[]> {
  const c = await openConsumer(bootstrap, ctx.name('reader'), conf);
  try {
    c.assign([{ topic, partition: 0, offset: 0 }]);
    const got: Message[] = [];
    await waitFor(`${count} records`, async () => {
      got.push(...(await consumeBatch(c)));
      return got.length >= count;
    });
    return got;
  } finally {
    await closeConsumer(c);
  }
}

/** Produces SECURE_RECORDS values tagged `tag` and reads them back, both through `bootstrap` with `conf`. */
async function secureRoundTrip(ctx: Context, bootstrap: string, conf: Record<string, string>, topic: string, tag: string): Promise<void> {
  const values = secureValues(tag);
  await produce(bootstrap, topic, values.map((v) => ({ value: Buffer.from(v) })), conf);
  checkEqual((await secureRead(ctx, bootstrap, conf, topic, SECURE_RECORDS)).map((m) => text(m.value)), values, `records read back (${tag})`);
}

/** A send that must be refused: the client's own error (event.error) or the delivery error, whichever comes first. */
function refusedSend(bootstrap: string, conf: Record<string, string>, topic: string): () => Promise<void> {
  return () => new Promise<void>((resolve, reject) => {
    Producer.open(bootstrap, { ...conf, 'message.timeout.ms': REFUSAL_WAIT_MS - 3000 }, reject, REFUSAL_WAIT_MS - 3000).then(
      (p) => p.send(topic, [{ value: Buffer.from('refused') }]).then(() => resolve(), reject).finally(() => void p.close()),
      reject,
    );
  });
}

/** A subscriber that must be refused: the first error it hears ends it; `seen` gets whatever it read. */
function refusedSubscriber(ctx: Context, bootstrap: string, conf: Record<string, string>, topic: string, seen: Message[]): () => Promise<void> {
  return async () => {
    let heard: unknown;
    const c = await openConsumer(bootstrap, ctx.name('refused'), conf, (err) => (heard ??= err));
    try {
      c.subscribe([topic]);
      const deadline = Date.now() + REFUSAL_WAIT_MS;
      while (heard === undefined && Date.now() < deadline) seen.push(...(await consumeBatch(c).catch((err: unknown) => ((heard ??= err), []))));
    } finally {
      await closeConsumer(c);
    }
    if (heard !== undefined) throw heard;
  };
}

const security: Record<'ssl' | 'mtls' | 'sasl-plain' | 'sasl-scram' | 'acl-denied', Scenario> = {
  'ssl': async (ctx) => {
    const s = readSecurity();
    await secureRoundTrip(ctx, s.ssl, rdkafkaTls(s), ctx.name(), 'ssl');
  },
  'mtls': async (ctx) => {
    const s = readSecurity();
    await secureRoundTrip(ctx, s.mtls, rdkafkaTls(s, true), ctx.name(), 'mtls');
    const refused = await expectRefusal('without a client certificate', refusedSend(s.mtls, rdkafkaTls(s), ctx.name('refused')));
    return `with a certificate: ${SECURE_RECORDS} records round trip; ${refused}`;
  },
  'sasl-plain': async (ctx) => {
    const s = readSecurity();
    await secureRoundTrip(ctx, s.saslSsl, rdkafkaSasl(s, 'PLAIN', s.plain), ctx.name(), 'plain');
    const refused = await expectRefusal('a wrong password', refusedSend(s.saslSsl, rdkafkaSasl(s, 'PLAIN', s.plain, wrongPassword(s.plain)), ctx.name()), AUTHENTICATION_FAILED);
    return `${s.plain.user} over SASL_SSL: ${SECURE_RECORDS} records round trip; ${refused}`;
  },
  'sasl-scram': async (ctx) => {
    const s = readSecurity();
    await secureRoundTrip(ctx, s.saslPlaintext, rdkafkaSaslPlaintext('SCRAM-SHA-256', s.scram256), ctx.name('256'), 'scram-sha-256');
    await secureRoundTrip(ctx, s.saslSsl, rdkafkaSasl(s, 'SCRAM-SHA-512', s.scram512), ctx.name('512'), 'scram-sha-512');
  },
  'acl-denied': async (ctx) => {
    const s = readSecurity();
    const test = rdkafkaSasl(s, 'PLAIN', s.plain);
    const mallory = rdkafkaSasl(s, 'PLAIN', s.mallory);
    const values = secureValues('test');
    await produce(s.saslSsl, s.aclTopic, values.map((v) => ({ value: Buffer.from(v) })), test);
    const produceRefused = await expectRefusal('mallory producing', refusedSend(s.saslSsl, mallory, s.aclTopic), TOPIC_DENIED);
    const seen: Message[] = [];
    const consumeRefused = await expectRefusal('mallory consuming', refusedSubscriber(ctx, s.saslSsl, mallory, s.aclTopic, seen), TOPIC_DENIED);
    checkEqual(seen.length, 0, 'records mallory read');
    const got = await secureRead(ctx, s.saslSsl, test, s.aclTopic, SECURE_RECORDS);
    checkEqual(got.map((m) => text(m.value)), values, 'records test read');
    checkEqual((await watermarks(ctx, s.aclTopic, s.saslSsl, test)).highOffset, SECURE_RECORDS, 'log end offset (mallory stored nothing)');
    return `${produceRefused}; ${consumeRefused}; test read its ${SECURE_RECORDS} records`;
  },
};

void runClient({
  main: {
    ...security,
    'metadata': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx.bootstrap, topic, [{ value: Buffer.from('x') }]);
      const c = await openConsumer(ctx.bootstrap, ctx.name('reader'));
      try {
        const md = await metadata(c, topic);
        check(md.brokers.length > 0 && md.brokers.every((b) => b.host && b.port > 0), `brokers ${JSON.stringify(md.brokers)}`);
        const t = md.topics.find((x) => x.name === topic);
        check(t, 'topic not in metadata');
        check(t.partitions.every((p) => md.brokers.some((b) => b.id === p.leader)), 'partition leader not a known broker');
        return md.brokers.map((b) => `${b.id}@${b.host}:${b.port}`).join(', ');
      } finally {
        await closeConsumer(c);
      }
    },
    'compression-none': roundTrip('none'),
    'compression-gzip': roundTrip('gzip'),
    'compression-snappy': roundTrip('snappy'),
    'compression-lz4': roundTrip('lz4'),
    'compression-zstd': roundTrip('zstd'),
    'keys-headers': async (ctx) => {
      const topic = ctx.name();
      // node-rdkafka passes header values through UTF-8 strings, so only text survives it.
      const headers: MessageHeader[] = [{ 'trace-id': Buffer.from('abc') }, { empty: Buffer.alloc(0) }, { unicode: Buffer.from('ünï') }];
      await produce(ctx.bootstrap, topic, [{ key: 'the-key', value: Buffer.from('v'), headers }]);
      const [m] = await read(ctx, topic, 1);
      checkEqual(text(m.key as Buffer), 'the-key', 'key');
      const got = (m.headers ?? []).map((h) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, [...Buffer.from(v)]])));
      checkEqual(got, [{ 'trace-id': [...Buffer.from('abc')] }, { empty: [] }, { unicode: [...Buffer.from('ünï')] }], 'headers');
    },
    'null-value': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx.bootstrap, topic, [{ key: 'k', value: null }]);
      const [m] = await read(ctx, topic, 1);
      checkEqual(m.value, null, 'value');
    },
    'record-near-max': async (ctx) => {
      const topic = ctx.name();
      const value = Buffer.alloc(NEAR_MAX_VALUE_BYTES, 'n');
      await produce(ctx.bootstrap, topic, [{ value }]);
      const [m] = await read(ctx, topic, 1);
      check(m.value?.equals(value), `value of ${m.value?.length} bytes differs`);
    },
    'record-over-max': async (ctx) => {
      const topic = ctx.name();
      const p = await Producer.open(ctx.bootstrap);
      let error: { origin?: string; message?: string } | undefined;
      try {
        await p.send(topic, [{ value: Buffer.from('first') }]);
        error = await p.send(topic, [{ value: Buffer.alloc(OVER_MAX_VALUE_BYTES, 'o') }]).then(() => undefined, (e: { origin?: string; message?: string }) => e);
      } finally {
        await p.close();
      }
      check(error !== undefined, 'an over-sized record was accepted');
      // Delivery errors reach node-rdkafka's callback with code -1; origin and message still tell.
      checkEqual(error.origin, 'broker', `origin of "${error.message}"`);
      check(/message size too large/i.test(error.message ?? ''), `expected MESSAGE_TOO_LARGE, got: ${error.message}`);
      checkEqual((await read(ctx, topic, 1)).map((m) => text(m.value)), ['first'], 'records stored');
      return error.message;
    },
    'fetch-mid-batch': async (ctx) => {
      const topic = ctx.name();
      const sent = records(MID_BATCH_COUNT);
      await produce(ctx.bootstrap, topic, sent);
      const got = await read(ctx, topic, MID_BATCH_COUNT - MID_BATCH_OFFSET, MID_BATCH_OFFSET);
      checkEqual(got.map((m) => [m.offset, text(m.value)]), sent.slice(MID_BATCH_OFFSET).map((r, i) => [i + MID_BATCH_OFFSET, text(r.value)]), 'records from the middle');
    },
    'list-offsets-earliest': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx.bootstrap, topic, records(3));
      checkEqual((await watermarks(ctx, topic)).lowOffset, 0, 'earliest offset');
    },
    'list-offsets-latest': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx.bootstrap, topic, records(3));
      checkEqual((await watermarks(ctx, topic)).highOffset, 3, 'latest offset');
    },
    'list-offsets-timestamp': async (ctx) => {
      const topic = ctx.name();
      const base = Date.now() - 60_000;
      await produce(ctx.bootstrap, topic, [0, 1, 2, 3].map((i) => ({ value: Buffer.from(`t${i}`), timestamp: base + i * 1000 })));
      checkEqual(await offsetFor(ctx, topic, base + 1500), 2, 'offset for a timestamp between records 1 and 2');
    },
    'admin-create-topics': async (ctx) => {
      const topic = ctx.name();
      await createTopic(ctx.bootstrap, topic, 3);
      const p = await Producer.open(ctx.bootstrap);
      try {
        const md = await metadata(p.raw(), topic);
        checkEqual(md.topics.find((t) => t.name === topic)?.partitions.map((x) => x.id).sort(), [0, 1, 2], 'partitions');
      } finally {
        await p.close();
      }
    },
    'admin-describe-topics': async (ctx) => {
      const topic = ctx.name();
      await createTopic(ctx.bootstrap, topic, 2);
      const p = await Producer.open(ctx.bootstrap);
      try {
        const md = await metadata(p.raw(), topic);
        const partitions = md.topics.find((t) => t.name === topic)?.partitions ?? [];
        checkEqual(partitions.length, 2, 'partition count');
        for (const x of partitions) {
          check(md.brokers.some((b) => b.id === x.leader) && x.replicas.includes(x.leader) && x.isrs.includes(x.leader), `partition ${x.id}: leader not a broker, replica and in-sync replica`);
        }
      } finally {
        await p.close();
      }
    },
    'admin-delete-topics': async (ctx) => {
      const topic = ctx.name();
      await createTopic(ctx.bootstrap, topic, 1);
      await withAdmin(ctx.bootstrap, (a) => new Promise<void>((resolve, reject) => a.deleteTopic(topic, 20_000, (err) => (err ? reject(err) : resolve()))));
      const p = await Producer.open(ctx.bootstrap, { 'allow.auto.create.topics': false });
      try {
        await waitFor('the topic to disappear', async () => {
          const md = await new Promise<{ topics: { name: string }[] }>((resolve, reject) => p.raw().getMetadata({ timeout: 10_000 }, (err, m) => (err ? reject(err) : resolve(m))));
          return !md.topics.some((t) => t.name === topic);
        });
      } finally {
        await p.close();
      }
    },
    'admin-create-partitions': async (ctx) => {
      const topic = ctx.name();
      await createTopic(ctx.bootstrap, topic, 1);
      await createPartitions(ctx.bootstrap, topic, GROWN_PARTITIONS);
      const p = await Producer.open(ctx.bootstrap);
      const last = GROWN_PARTITIONS - 1;
      try {
        await waitFor(`${GROWN_PARTITIONS} partitions in metadata`, async () => (await metadata(p.raw(), topic)).topics.find((t) => t.name === topic)?.partitions.length === GROWN_PARTITIONS);
        await p.send(topic, [{ partition: last, key: 'k', value: Buffer.from('on the new partition') }]);
      } finally {
        await p.close();
      }
      const got = await read(ctx, topic, 1, 0, {}, last);
      checkEqual(got.map((m) => [m.partition, m.offset, text(m.value)]), [[last, 0, 'on the new partition']], 'record read back');
    },
    'compaction': async (ctx) => {
      const topic = ctx.name();
      await createTopic(ctx.bootstrap, topic, 1, 1, COMPACT_TOPIC_CONFIGS);
      const sent = compactionRecords();
      const p = await Producer.open(ctx.bootstrap);
      try {
        for (let i = 0; i < sent.length; i += 20) await p.send(topic, sent.slice(i, i + 20).map((r) => ({ key: r.key, value: r.value === null ? null : Buffer.from(r.value) })));
      } finally {
        await p.close();
      }
      return awaitCompaction(
        async () => void (await produce(ctx.bootstrap, topic, [{ key: ROLL_KEY, value: Buffer.from('roll') }])),
        async () => {
          const high = (await watermarks(ctx, topic)).highOffset;
          const got = await readUntil(ctx, topic, 0, EARLIEST, `records up to offset ${high}`, (m) => m.some((x) => x.offset >= high - 1));
          return got.map((m) => ({ key: text(m.key as Buffer), value: text(m.value) }));
        },
      );
    },
    'group-split': async (ctx) => {
      const { topic, members } = await splitGroup(ctx);
      try {
        await produce(ctx.bootstrap, topic, perPartition(10));
        await waitFor('10 records per member', () => members.every((m) => m.seen.length >= 10));
        checkSplitReads(members, 10);
      } finally {
        await Promise.all(members.map((m) => m.close()));
      }
    },
    'group-commit': async (ctx) => {
      const topic = ctx.name();
      const group = ctx.name('group');
      await produce(ctx.bootstrap, topic, records(10));
      const m = await Member.join(ctx, group, topic);
      try {
        await waitFor('10 records', () => m.seen.length >= 10);
        m.commit(topic, 7);
      } finally {
        await m.close();
      }
      checkEqual(await committed(ctx, group, topic), 7, 'committed offset');
    },
    'group-leave': async (ctx) => {
      const { topic, members } = await splitGroup(ctx);
      const [stays, leaves] = members;
      try {
        await checkTakeover(stays, () => stays.partitions.length, () => leaves.close(), () => produce(ctx.bootstrap, topic, perPartition(5)));
      } finally {
        await stays.close();
      }
    },
    'group-resume-after-restart': async (ctx) => {
      const topic = ctx.name();
      const sent = records(HALF * 2);
      await produce(ctx.bootstrap, topic, sent.slice(0, HALF));
      const m = await Member.join(ctx, ctx.name('group'), topic);
      try {
        await waitFor('the first half', () => m.seen.length >= HALF);
        m.commit(topic, HALF);
      } finally {
        await m.close();
      }
      await produce(ctx.bootstrap, topic, sent.slice(HALF));
    },
    'idempotent-producer': async (ctx) => {
      const topic = ctx.name();
      const sent = records(10);
      await produce(ctx.bootstrap, topic, sent, { 'enable.idempotence': true });
      const got = await read(ctx, topic, sent.length);
      checkEqual(got.map((m) => text(m.value)), sent.map((r) => text(r.value)), 'records stored once, in order');
    },
    'idempotent-retry': async (ctx) => {
      const topic = ctx.name();
      await createTopic(ctx.bootstrap, topic, 1);
      const sent = records(RETRY_RECORDS);
      // Every lost response costs a reconnect: keep librdkafka's backoff short rather than let it double.
      const p = await Producer.open(ctx.flakyBootstrap(), { 'enable.idempotence': true, 'linger.ms': 0, 'retry.backoff.ms': 100, 'reconnect.backoff.ms': 50, 'reconnect.backoff.max.ms': 200 });
      try {
        for (const r of sent) await p.send(topic, [r]);
      } finally {
        await p.close();
      }
      const got = await read(ctx, topic, sent.length);
      checkEqual(got.map((m) => text(m.value)), sent.map((r) => text(r.value)), 'records stored once, in order');
      checkEqual((await watermarks(ctx, topic)).highOffset, sent.length, 'log end offset');
    },
    'transactional-producer': async (ctx) => {
      const topic = ctx.name();
      await createTopic(ctx.bootstrap, topic, 1);
      await withTransactions(ctx.bootstrap, ctx.name('txn'), async (p) => {
        for (const t of [0, 1, 2]) {
          await call((cb) => p.raw().beginTransaction(cb));
          await p.send(topic, txnValues(t).map((value) => ({ value: Buffer.from(value) })));
          await endTransaction(p, t !== 1);
        }
      });
      const want = [...txnValues(0), ...txnValues(2)];
      const got = await read(ctx, topic, want.length, 0, { 'isolation.level': 'read_committed' });
      checkEqual(got.map((m) => text(m.value)), want, 'read_committed records');
    },
    'exactly-once-restart': async (ctx) => {
      const { input, output, groupId, transactionalId } = eosNames(ctx);
      await createTopic(ctx.bootstrap, input, 1);
      await createTopic(ctx.bootstrap, output, 1);
      await produce(ctx.bootstrap, input, Array.from({ length: EOS_INPUT }, (_, i) => ({ value: Buffer.from(eosInput(i)) })));
      await withTransactions(ctx.bootstrap, transactionalId, async (p) => {
        await transformRound(ctx, p, EOS_FIRST, true);
        await transformRound(ctx, p, EOS_ABORTED, false);
      });
      checkEqual(await committed(ctx, groupId, input), EOS_FIRST, 'committed input offset before the restart');
    },
  },
  cluster: {
    'cluster-leader-routing': async (ctx) => {
      // One bootstrap broker: reaching the other leaders needs the metadata it hands out.
      const one = ctx.bootstrap.split(',')[0];
      const topic = ctx.name();
      await createSpreadTopic(one, topic);
      const sent: Outgoing[] = Array.from({ length: CLUSTER_PARTITIONS * ROUTING_PER_PARTITION }, (_, i) => ({ partition: i % CLUSTER_PARTITIONS, key: `p${i % CLUSTER_PARTITIONS}-${i}`, value: Buffer.from(`${i}`) }));
      await produce(one, topic, sent, FAILOVER_CONF);
      const read = await readKeys(ctx, one, topic, sent.map((r) => r.key!));
      checkEqual(read.sort(), sent.map((r) => `${r.partition} ${r.key}`).sort(), 'records read back by partition');
    },
    'cluster-broker-killed': async (ctx) => {
      const topic = ctx.name();
      await createSpreadTopic(ctx.bootstrap, topic);
      const p = await Producer.open(ctx.bootstrap, FAILOVER_CONF);
      let r: ThroughKill;
      try {
        r = await produceThroughKill(ctx, (key) => p.send(topic, [{ partition: BY_KEY, key, value: Buffer.from(key) }]).then(() => undefined));
      } finally {
        await p.close();
      }
      return throughKillDetail(r, (await readKeys(ctx, ctx.bootstrap, topic, r.acked)).length);
    },
    'cluster-idempotent-leader-killed': async (ctx) => {
      const topic = ctx.name();
      await createSpreadTopic(ctx.bootstrap, topic);
      const p = await Producer.open(ctx.bootstrap, { ...FAILOVER_CONF, 'enable.idempotence': true });
      let r: ThroughKill;
      try {
        r = await produceThroughKill(ctx, (key) => p.send(topic, [{ partition: BY_KEY, key, value: Buffer.from(key) }]).then(() => undefined));
      } finally {
        await p.close();
      }
      const reads = await readKeys(ctx, ctx.bootstrap, topic, r.acked);
      return exactlyOnceDetail(r, reads.map((read) => read.replace(' ', '/')));
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
      checkEqual(m.seen.map((s) => [s.offset, text(s.value)]), records(HALF * 2).slice(HALF).map((r, i) => [i + HALF, text(r.value)]), 'records read after the restart');
    },
    'exactly-once-restart': async (ctx) => {
      const { input, output, groupId, transactionalId } = eosNames(ctx);
      await withTransactions(ctx.bootstrap, transactionalId, (p) => transformRound(ctx, p, EOS_INPUT - EOS_FIRST, true));
      const got = await read(ctx, output, EOS_INPUT, 0, { 'isolation.level': 'read_committed' });
      const want = Array.from({ length: EOS_INPUT }, (_, i) => eosTransform(eosInput(i)));
      checkEqual(got.map((m) => text(m.value)), want, 'transformed records, read_committed');
      checkEqual(await committed(ctx, groupId, input), EOS_INPUT, 'committed input offset');
    },
  },
});
