// kcat run script: drives the kcat command line (protocol: compat/lib/protocol.ts). kcat cannot
// create topics, so the group scenarios make their two-partition topic with kafkajs first.

import { Kafka, logLevel } from 'kafkajs';
import { exactlyOnceDetail } from '../lib/broker-killed';
import { check, checkEqual, checkSplitReads, checkTakeover, waitFor } from '../lib/check';
import { Child, ChildExit, exitText, runChild, startChild, succeeded } from '../lib/child-io';
import { ACKED_AFTER_KILL, CLUSTER_PARTITIONS, CLUSTER_REPLICATION, MID_BATCH_COUNT, MID_BATCH_OFFSET, NEAR_MAX_VALUE_BYTES, OVER_MAX_VALUE_BYTES, CLIENT_SIZE_LIMIT, ROUTING_PER_PARTITION, sampleRecords, SENT_BEFORE_KILL } from '../lib/data';
import { Context, runClient, Scenario } from '../lib/harness';
import { AUTHENTICATION_FAILED, expectRefusal, rdkafkaSasl, rdkafkaSaslPlaintext, rdkafkaTls, readSecurity, REFUSAL_WAIT_MS, SECURE_RECORDS, secureValues, TOPIC_DENIED, wrongPassword } from '../lib/security';

function kcat(ctx: Context, args: string[], input = ''): Promise<ChildExit> {
  return runChild('kcat', ['-b', ctx.bootstrap, ...args], input);
}

function kcatFailure(args: string[], exit: ChildExit): Error {
  return new Error(`kcat ${args.slice(0, 6).join(' ')}: ${exitText(exit)}: ${exit.stderr.trim().slice(-400)}`);
}

async function kcatOk(ctx: Context, args: string[], input = ''): Promise<string> {
  const r = await kcat(ctx, args, input);
  if (!succeeded(r)) throw kcatFailure(args, r);
  return r.stdout;
}

/** Produces lines to partition 0 in one kcat run (one batch, given librdkafka's linger). */
function produce(ctx: Context, topic: string, lines: string[], extra: string[] = []): Promise<string> {
  return kcatOk(ctx, ['-P', '-t', topic, '-p', '0', '-X', 'linger.ms=100', ...extra], lines.map((l) => l + '\n').join(''));
}

/** Reads partition 0 from `offset` to its end, one formatted line per record. */
async function consume(ctx: Context, topic: string, format: string, offset = 'beginning', extra: string[] = []): Promise<string[]> {
  const out = await kcatOk(ctx, ['-C', '-t', topic, '-p', '0', '-o', offset, '-e', '-q', '-f', format, ...extra]);
  return out.split('\n').slice(0, -1);
}

/** kcat -J is the output that tells a null value from an empty one (-f prints both alike). */
async function consumeJson(ctx: Context, topic: string): Promise<{ key: string | null; payload: string | null }[]> {
  const out = await kcatOk(ctx, ['-C', '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q', '-J']);
  return out.split('\n').slice(0, -1).map((l) => {
    const { key, payload } = JSON.parse(l) as { key: string | null; payload: string | null };
    return { key, payload };
  });
}

function roundTrip(codec: string): Scenario {
  return async (ctx) => {
    const topic = ctx.name();
    const records = sampleRecords();
    await produce(ctx, topic, records.map((r) => `${r.key}:${r.value}`), ['-K:', '-z', codec]);
    const got = await consume(ctx, topic, '%o %k:%s\\n');
    checkEqual(got, records.map((r, i) => `${i} ${r.key}:${r.value}`), 'records read back');
  };
}

async function createTopic(ctx: Context, topic: string, numPartitions: number, replicationFactor?: number): Promise<void> {
  const admin = new Kafka({ brokers: ctx.bootstrap.split(','), logLevel: logLevel.ERROR }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** The cluster scenarios' topic; fails unless kcat's metadata shows leaders on all three brokers. */
async function createSpreadTopic(ctx: Context, topic: string): Promise<void> {
  await createTopic(ctx, topic, CLUSTER_PARTITIONS, CLUSTER_REPLICATION);
  const meta = JSON.parse(await kcatOk(ctx, ['-L', '-J', '-t', topic])) as { topics: { partitions: { leader: number }[] }[] };
  checkEqual(new Set(meta.topics[0].partitions.map((p) => p.leader)).size, CLUSTER_REPLICATION, 'brokers leading partitions');
}

/** Every record of every partition, as "partition key" lines, sorted. */
async function consumeAll(ctx: Context, topic: string): Promise<string[]> {
  const out = await kcatOk(ctx, ['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p %k\\n']);
  return out.split('\n').slice(0, -1).sort();
}

/**
 * One `kcat -P` fed a line at a time with acks=all, asking for the kill after SENT_BEFORE_KILL
 * lines and going on for ACKED_AFTER_KILL more once it is done. kcat exits 0 only when every
 * record was delivered, so then every key written is acknowledged. Returns the keys and the kill.
 */
async function produceThroughKill(ctx: Context, topic: string, conf: string[] = []): Promise<{ keys: string[]; killed: string }> {
  const args = ['-P', '-t', topic, '-K:', '-X', 'acks=all', '-X', 'linger.ms=5', ...conf];
  const child = startChild('kcat', ['-b', ctx.bootstrap, ...args]);
  const keys: string[] = [];
  let killed: string | undefined;
  let killError: unknown;
  for (let i = 0; !killed || keys.length < SENT_BEFORE_KILL + ACKED_AFTER_KILL; i++) {
    if (killError) throw killError;
    if (i === SENT_BEFORE_KILL) ctx.killBroker().then((which) => (killed = which), (err: unknown) => (killError = err));
    keys.push(`r${i}`);
    // A kcat that exited early takes no more lines: its exit says why.
    if (await child.write(`r${i}:r${i}\n`)) throw new Error(`kcat -P stopped taking records at r${i}: ${kcatFailure(args, await child.exited).message}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  await child.end();
  const exit = await child.exited;
  if (!succeeded(exit)) throw new Error(`which records were delivered is unknown: ${kcatFailure(args, exit).message}`);
  return { keys, killed };
}

/** A `kcat -G` balanced consumer: what it is assigned (from its rebalance lines) and reads. */
class Member {
  readonly seen: { partition: number; offset: number; value: string }[] = [];
  assigned: number[] = [];
  private readonly proc: Child;

  constructor(ctx: Context, group: string, topic: string) {
    this.proc = startChild('kcat', ['-b', ctx.bootstrap, '-G', group, topic, '-u', '-f', '%p %o %s\\n',
      '-X', 'auto.offset.reset=earliest', '-X', 'auto.commit.interval.ms=100', '-X', 'heartbeat.interval.ms=300', '-X', 'session.timeout.ms=10000'],
      { stdin: 'ignore', keep: { stdout: 0, stderr: 4000 } });
    this.proc.onLine('stdout', (l) => {
      const [p, o, ...v] = l.split(' ');
      this.seen.push({ partition: Number(p), offset: Number(o), value: v.join(' ') });
    });
    this.proc.onLine('stderr', (l) => {
      if (!l.includes('rebalanced')) return;
      this.assigned = l.includes('assigned:') ? [...l.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])).sort() : [];
    });
  }

  /** SIGTERM: kcat closes its consumer, which commits and leaves the group. */
  async stop(): Promise<void> {
    this.proc.kill('SIGTERM');
    const exit = await this.proc.exited;
    if (!succeeded(exit)) throw new Error(`kcat -G on SIGTERM: ${exitText(exit)}: ${exit.stderr.trim().slice(-400)}`);
  }
}

async function splitGroup(ctx: Context): Promise<{ topic: string; members: Member[] }> {
  const topic = ctx.name();
  await createTopic(ctx, topic, 2);
  const members = [new Member(ctx, ctx.name('group'), topic), new Member(ctx, ctx.name('group'), topic)];
  await waitFor('a split assignment', () => members.every((m) => m.assigned.length === 1) && members[0].assigned[0] !== members[1].assigned[0]);
  return { topic, members };
}

async function producePerPartition(ctx: Context, topic: string, n: number): Promise<void> {
  for (const p of [0, 1]) {
    await kcatOk(ctx, ['-P', '-t', topic, '-p', String(p)], Array.from({ length: n }, (_, i) => `p${p}-${i}\n`).join(''));
  }
}

/** Reads `count` records through a fresh `kcat -G` member of `group`, then stops it (committing). */
async function consumeInGroup(ctx: Context, group: string, topic: string, count: number): Promise<Member['seen']> {
  const m = new Member(ctx, group, topic);
  try {
    await waitFor(`${count} records`, () => m.seen.length >= count);
  } finally {
    await m.stop();
  }
  return m.seen;
}

const HALF = 5;

/** librdkafka properties as kcat's -X arguments. */
const xArgs = (conf: Record<string, string>): string[] => Object.entries(conf).flatMap(([k, v]) => ['-X', `${k}=${v}`]);

/** The scenario's context with a listener of the secured broker as its bootstrap. */
const at = (ctx: Context, bootstrap: string): Context => ({ ...ctx, bootstrap });

/** Produces SECURE_RECORDS values tagged `tag` and reads them back, both through `listener` with `conf`. */
async function secureRoundTrip(listener: Context, conf: Record<string, string>, topic: string, tag: string): Promise<void> {
  const values = secureValues(tag);
  await produce(listener, topic, values, xArgs(conf));
  checkEqual(await consume(listener, topic, '%s\\n', 'beginning', xArgs(conf)), values, `records read back (${tag})`);
}

/**
 * A kcat run that must be refused, stopped after REFUSAL_WAIT_MS if it has not ended: fails with
 * its stderr (where librdkafka logs why) unless it exited 0; `lines` gets what it printed.
 */
function refusedKcat(listener: Context, args: string[], { input = '', lines = [] as string[] } = {}): () => Promise<void> {
  return async () => {
    const child = startChild('kcat', ['-b', listener.bootstrap, ...args]);
    void child.end(input);
    const timer = setTimeout(() => child.kill('SIGKILL'), REFUSAL_WAIT_MS - 1000);
    const exit = await child.exited;
    clearTimeout(timer);
    lines.push(...exit.stdout.split('\n').filter(Boolean));
    if (!succeeded(exit)) throw kcatFailure(args, exit);
  };
}

/** kcat -L with a short metadata timeout: the quickest way to have kcat connect and say what happened. */
const metadataArgs = (conf: Record<string, string>): string[] => ['-L', '-m', '5', ...xArgs(conf)];

const security: Record<'ssl' | 'mtls' | 'sasl-plain' | 'sasl-scram' | 'acl-denied', Scenario> = {
  'ssl': async (ctx) => {
    const s = readSecurity();
    await secureRoundTrip(at(ctx, s.ssl), rdkafkaTls(s), ctx.name(), 'ssl');
  },
  'mtls': async (ctx) => {
    const s = readSecurity();
    await secureRoundTrip(at(ctx, s.mtls), rdkafkaTls(s, true), ctx.name(), 'mtls');
    const refused = await expectRefusal('without a client certificate', refusedKcat(at(ctx, s.mtls), metadataArgs(rdkafkaTls(s))));
    return `with a certificate: ${SECURE_RECORDS} records round trip; ${refused}`;
  },
  'sasl-plain': async (ctx) => {
    const s = readSecurity();
    await secureRoundTrip(at(ctx, s.saslSsl), rdkafkaSasl(s, 'PLAIN', s.plain), ctx.name(), 'plain');
    const refused = await expectRefusal('a wrong password', refusedKcat(at(ctx, s.saslSsl), metadataArgs(rdkafkaSasl(s, 'PLAIN', s.plain, wrongPassword(s.plain)))), AUTHENTICATION_FAILED);
    return `${s.plain.user} over SASL_SSL: ${SECURE_RECORDS} records round trip; ${refused}`;
  },
  'sasl-scram': async (ctx) => {
    const s = readSecurity();
    await secureRoundTrip(at(ctx, s.saslPlaintext), rdkafkaSaslPlaintext('SCRAM-SHA-256', s.scram256), ctx.name('256'), 'scram-sha-256');
    await secureRoundTrip(at(ctx, s.saslSsl), rdkafkaSasl(s, 'SCRAM-SHA-512', s.scram512), ctx.name('512'), 'scram-sha-512');
  },
  'acl-denied': async (ctx) => {
    const s = readSecurity();
    const listener = at(ctx, s.saslSsl);
    const test = xArgs(rdkafkaSasl(s, 'PLAIN', s.plain));
    const mallory = xArgs(rdkafkaSasl(s, 'PLAIN', s.mallory));
    const values = secureValues('test');
    await produce(listener, s.aclTopic, values, test);
    const producing = ['-P', '-t', s.aclTopic, '-p', '0', '-X', `message.timeout.ms=${REFUSAL_WAIT_MS - 3000}`, ...mallory];
    const produceRefused = await expectRefusal('mallory producing', refusedKcat(listener, producing, { input: 'mallory\n' }), TOPIC_DENIED);
    const lines: string[] = [];
    const consumeRefused = await expectRefusal('mallory consuming', refusedKcat(listener, ['-C', '-t', s.aclTopic, '-p', '0', '-o', 'beginning', '-e', '-q', ...mallory], { lines }), TOPIC_DENIED);
    checkEqual(lines, [], 'records mallory read');
    // To the end of the partition: a record mallory got in would show.
    checkEqual(await consume(listener, s.aclTopic, '%s\\n', 'beginning', test), values, 'records test read');
    return `${produceRefused}; ${consumeRefused}; test read its ${SECURE_RECORDS} records`;
  },
};

void runClient({
  main: {
    ...security,
    'metadata': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, ['x']);
      const meta = JSON.parse(await kcatOk(ctx, ['-L', '-J', '-t', topic])) as {
        brokers: { id: number; name: string }[];
        topics: { topic: string; partitions: { partition: number; leader: number }[] }[];
      };
      check(meta.brokers.length > 0 && meta.brokers.every((b) => /:\d+$/.test(b.name)), `brokers ${JSON.stringify(meta.brokers)}`);
      checkEqual(meta.topics.map((t) => t.topic), [topic], 'topics');
      check(meta.topics[0].partitions.every((p) => meta.brokers.some((b) => b.id === p.leader)), 'partition leader not a listed broker');
      return meta.brokers.map((b) => `${b.id}@${b.name}`).join(', ');
    },
    'compression-none': roundTrip('none'),
    'compression-gzip': roundTrip('gzip'),
    'compression-snappy': roundTrip('snappy'),
    'compression-lz4': roundTrip('lz4'),
    'compression-zstd': roundTrip('zstd'),
    'keys-headers': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, ['the-key:v'], ['-K:', '-H', 'trace-id=abc', '-H', 'empty=']);
      checkEqual(await consume(ctx, topic, '%k|%h|%s\\n'), ['the-key|trace-id=abc,empty=|v'], 'key|headers|value');
    },
    'null-value': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, ['k:'], ['-K:', '-Z']);
      checkEqual(await consumeJson(ctx, topic), [{ key: 'k', payload: null }], 'records (kcat -J)');
    },
    'empty-value': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, ['k:'], ['-K:']);
      checkEqual(await consumeJson(ctx, topic), [{ key: 'k', payload: '' }], 'records (kcat -J)');
    },
    'record-near-max': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, ['n'.repeat(NEAR_MAX_VALUE_BYTES)], ['-X', `message.max.bytes=${CLIENT_SIZE_LIMIT}`]);
      const [line] = await consume(ctx, topic, '%S %s\\n');
      checkEqual(line.length, String(NEAR_MAX_VALUE_BYTES).length + 1 + NEAR_MAX_VALUE_BYTES, 'line length');
      check(line === `${NEAR_MAX_VALUE_BYTES} ${'n'.repeat(NEAR_MAX_VALUE_BYTES)}`, 'value differs');
    },
    'record-over-max': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, ['first']);
      const r = await kcat(ctx, ['-P', '-t', topic, '-p', '0', '-X', `message.max.bytes=${CLIENT_SIZE_LIMIT}`], 'o'.repeat(OVER_MAX_VALUE_BYTES) + '\n');
      check(r.code !== 0, 'kcat reported success for an over-sized record');
      check(/Message size too large/.test(r.stderr), `expected "Message size too large", got: ${r.stderr.trim().slice(-300)}`);
      checkEqual(await consume(ctx, topic, '%s\\n'), ['first'], 'records stored');
      return r.stderr.trim().split('\n').pop();
    },
    'fetch-mid-batch': async (ctx) => {
      const topic = ctx.name();
      const values = sampleRecords(MID_BATCH_COUNT).map((r) => r.value);
      await produce(ctx, topic, values);
      const got = await consume(ctx, topic, '%o %s\\n', String(MID_BATCH_OFFSET));
      checkEqual(got, values.slice(MID_BATCH_OFFSET).map((v, i) => `${i + MID_BATCH_OFFSET} ${v}`), 'records from the middle');
    },
    'list-offsets-earliest': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, ['a', 'b', 'c']);
      checkEqual((await kcatOk(ctx, ['-Q', '-t', `${topic}:0:-2`])).trim(), `${topic} [0] offset 0`, 'kcat -Q earliest');
    },
    'list-offsets-latest': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, ['a', 'b', 'c']);
      checkEqual((await kcatOk(ctx, ['-Q', '-t', `${topic}:0:-1`])).trim(), `${topic} [0] offset 3`, 'kcat -Q latest');
    },
    'list-offsets-timestamp': async (ctx) => {
      // kcat cannot set record timestamps: two runs give two times, and the answer follows from them.
      const topic = ctx.name();
      await produce(ctx, topic, ['a', 'b']);
      await produce(ctx, topic, ['c', 'd']);
      const stamps = (await consume(ctx, topic, '%T\\n')).map(Number);
      const target = stamps[2];
      const want = stamps.findIndex((t) => t >= target);
      checkEqual((await kcatOk(ctx, ['-Q', '-t', `${topic}:0:${target}`])).trim(), `${topic} [0] offset ${want}`, `kcat -Q at ${target} (stamps ${stamps.join(',')})`);
    },
    'admin-describe-topics': async (ctx) => {
      const topic = ctx.name();
      await produce(ctx, topic, ['x']);
      const meta = JSON.parse(await kcatOk(ctx, ['-L', '-J', '-t', topic])) as {
        brokers: { id: number }[];
        topics: { partitions: { partition: number; leader: number; replicas: { id: number }[]; isrs: { id: number }[] }[] }[];
      };
      for (const p of meta.topics[0].partitions) {
        check(meta.brokers.some((b) => b.id === p.leader), `partition ${p.partition} leader ${p.leader} unknown`);
        check(p.replicas.some((r) => r.id === p.leader) && p.isrs.some((r) => r.id === p.leader), `partition ${p.partition}: leader not in replicas/isrs`);
      }
    },
    'group-split': async (ctx) => {
      const { topic, members } = await splitGroup(ctx);
      try {
        await producePerPartition(ctx, topic, 10);
        await waitFor('10 records per member', () => members.every((m) => m.seen.length >= 10));
        checkSplitReads(members.map((m) => ({ seen: m.seen, partitions: m.assigned })), 10);
      } finally {
        await Promise.all(members.map((m) => m.stop()));
      }
    },
    'group-commit': async (ctx) => {
      const topic = ctx.name();
      const group = ctx.name('group');
      await produce(ctx, topic, sampleRecords(10).map((r) => r.value));
      await consumeInGroup(ctx, group, topic, 10);
      await produce(ctx, topic, ['after-commit']);
      const seen = await consumeInGroup(ctx, group, topic, 1);
      checkEqual(seen.map((s) => `${s.offset} ${s.value}`), ['10 after-commit'], 'records the group read after its commit');
    },
    'group-leave': async (ctx) => {
      const { topic, members } = await splitGroup(ctx);
      const [stays, leaves] = members;
      try {
        await checkTakeover(stays, () => stays.assigned.length, () => leaves.stop(), () => producePerPartition(ctx, topic, 5));
      } finally {
        await stays.stop();
      }
    },
    'group-resume-after-restart': async (ctx) => {
      const topic = ctx.name();
      const values = sampleRecords(HALF * 2).map((r) => r.value);
      await produce(ctx, topic, values.slice(0, HALF));
      await consumeInGroup(ctx, ctx.name('group'), topic, HALF);
      await produce(ctx, topic, values.slice(HALF));
    },
    'idempotent-producer': async (ctx) => {
      const topic = ctx.name();
      const values = sampleRecords(10).map((r) => r.value);
      await produce(ctx, topic, values, ['-X', 'enable.idempotence=true']);
      checkEqual(await consume(ctx, topic, '%s\\n'), values, 'records stored once, in order');
    },
  },
  cluster: {
    'cluster-leader-routing': async (ctx) => {
      const topic = ctx.name();
      await createSpreadTopic(ctx, topic);
      // One bootstrap broker: reaching the other leaders needs the metadata it hands out.
      const one: Context = { ...ctx, bootstrap: ctx.bootstrap.split(',')[0] };
      const expected: string[] = [];
      for (let p = 0; p < CLUSTER_PARTITIONS; p++) {
        const keys = Array.from({ length: ROUTING_PER_PARTITION }, (_, i) => `p${p}-${i}`);
        await kcatOk(one, ['-P', '-t', topic, '-p', String(p), '-K:', '-X', 'acks=all'], keys.map((k) => `${k}:${k}\n`).join(''));
        expected.push(...keys.map((k) => `${p} ${k}`));
      }
      checkEqual(await consumeAll(one, topic), expected.sort(), 'records read back by partition');
    },
    'cluster-broker-killed': async (ctx) => {
      const topic = ctx.name();
      await createSpreadTopic(ctx, topic);
      const { keys, killed } = await produceThroughKill(ctx, topic);
      const read = await consumeAll(ctx, topic);
      const readKeys = new Set(read.map((l) => l.split(' ')[1]));
      const lost = keys.filter((k) => !readKeys.has(k));
      check(lost.length === 0, `${lost.length} acknowledged records lost, e.g. ${lost.slice(0, 5).join(', ')}`);
      return `killed ${killed} after ${SENT_BEFORE_KILL} records; ${keys.length} acknowledged, all read back (${read.length - keys.length} extra reads)`;
    },
    'cluster-idempotent-leader-killed': async (ctx) => {
      const topic = ctx.name();
      await createSpreadTopic(ctx, topic);
      const { keys, killed } = await produceThroughKill(ctx, topic, ['-X', 'enable.idempotence=true']);
      const out = await kcatOk(ctx, ['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p %o %k\n']);
      const reads = out.split('\n').slice(0, -1).map((l) => l.split(' ')).sort((a, b) => Number(a[0]) - Number(b[0]) || Number(a[1]) - Number(b[1]));
      return exactlyOnceDetail({ acked: keys, failed: 0, killed, ackedBefore: SENT_BEFORE_KILL }, reads.map(([p, , k]) => `${p}/${k}`));
    },
  },
  afterRestart: {
    'group-resume-after-restart': async (ctx) => {
      const seen = await consumeInGroup(ctx, ctx.name('group'), ctx.name(), HALF);
      const values = sampleRecords(HALF * 2).map((r) => r.value);
      checkEqual(seen.map((s) => `${s.offset} ${s.value}`), values.slice(HALF).map((v, i) => `${i + HALF} ${v}`), 'records read after the restart');
    },
  },
});
