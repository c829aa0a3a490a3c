// Consumer groups with real clients against a broker process: a kafkajs group of three members
// through join, leave, crash and a new join, with every record consumed exactly once; kcat -G with
// two members; kafka-python committing, then resuming after a broker restart; the admin views.

import { ChildProcess, execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { waitFor } from '../helpers/wait';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';
const PY_GROUP = resolve(__dirname, '../../../test/integration/python/group.py');
const MEMBER_JS = resolve(__dirname, 'groups/kafkajs-member.js');

const GROUP_PROPS = { 'group.initial.rebalance.delay.ms': 0, 'group.min.session.timeout.ms': 1000, 'offsets.topic.num.partitions': 5 };

let broker: BrokerProcess | undefined;
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await cleanup(broker);
  broker = undefined;
});


interface Member {
  name: string;
  child: ChildProcess;
  assigned: number[] | null;
  records: { partition: number; offset: string; value: string }[];
}

function startMember(name: string, b: BrokerProcess, group: string, topic: string): Member {
  const child = spawn(process.execPath, [MEMBER_JS, b.bootstrap, group, topic], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const member: Member = { name, child, assigned: null, records: [] };
  let pending = '';
  child.stdout!.on('data', (d: Buffer) => {
    pending += d.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const e = JSON.parse(line);
      if (e.event === 'assigned') member.assigned = e.partitions;
      else member.records.push(e);
    }
  });
  return member;
}

function kafka(b: BrokerProcess): Kafka {
  return new Kafka({ brokers: [b.bootstrap], logLevel: logLevel.NOTHING });
}

async function produce(b: BrokerProcess, topic: string, from: number, count: number): Promise<void> {
  const producer = kafka(b).producer();
  await producer.connect();
  await producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ key: `k${from + i}`, value: `v${from + i}` })) });
  await producer.disconnect();
}

test('a kafkajs group splits partitions, rebalances on leave, crash and join, and consumes each record once', async () => {
  broker = await startBroker({ props: GROUP_PROPS });
  const b = broker;
  const topic = 'group-topic';
  const admin = kafka(b).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 6 }] });
    const members = ['a', 'b', 'c'].map((n) => startMember(n, b, 'g3', topic));
    const live = () => members.filter((m) => m.child.exitCode === null && m.child.signalCode === null);
    const splitAmongLive = () => {
      const owned = live().map((m) => m.assigned ?? []);
      return owned.every((p) => p.length > 0) && owned.flat().sort().join() === '0,1,2,3,4,5';
    };
    let produced = 0;
    const consumeRound = async (count: number, what: string) => {
      await produce(b, topic, produced, count);
      produced += count;
      await waitFor(() => members.reduce((n, m) => n + m.records.length, 0) >= produced, `${what}: ${produced} records consumed`);
      await waitFor(async () => {
        const committed = await admin.fetchOffsets({ groupId: 'g3', topics: [topic] });
        return committed[0].partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0) === produced;
      }, `${what}: offsets committed`);
    };

    const joinStarted = Date.now();
    await waitFor(splitAmongLive, 'three members sharing six partitions');
    const rebalanceMs = Date.now() - joinStarted;
    await consumeRound(600, 'three members');

    members[2].child.kill('SIGTERM');
    await waitFor(() => members[2].child.exitCode !== null && splitAmongLive(), 'rebalance after a member left');
    await consumeRound(300, 'after leave');

    members[1].child.kill('SIGKILL');
    await waitFor(() => members[1].child.signalCode !== null && splitAmongLive() && members[0].assigned!.length === 6, 'rebalance after a crash');
    await consumeRound(300, 'after crash');

    members.push(startMember('d', b, 'g3', topic));
    await waitFor(() => splitAmongLive() && members[3].assigned!.length > 0, 'rebalance after a join');
    await consumeRound(300, 'after join');

    const values = members.flatMap((m) => m.records.map((r) => r.value));
    expect(values).toHaveLength(produced);
    expect(new Set(values).size).toBe(produced);
    console.log(`kafkajs: three members joined and split 6 partitions in ${rebalanceMs} ms`);

    const described = await admin.describeGroups(['g3']);
    expect(described.groups[0]).toMatchObject({ groupId: 'g3', state: 'Stable', protocolType: 'consumer' });
    expect(described.groups[0].members).toHaveLength(2);
    expect((await admin.listGroups()).groups).toContainEqual({ groupId: 'g3', protocolType: 'consumer' });

    for (const m of live()) m.child.kill('SIGTERM');
    await waitFor(() => live().length === 0, 'members to leave');
    await waitFor(async () => (await admin.describeGroups(['g3'])).groups[0].state === 'Empty', 'the group to become Empty');
    await admin.deleteGroups(['g3']);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain('g3');
    expect((await admin.fetchOffsets({ groupId: 'g3', topics: [topic] }))[0].partitions.every((p) => p.offset === '-1')).toBe(true);
  } finally {
    await admin.disconnect();
  }
});

test('kcat -G: two members split the partitions and commit', async () => {
  broker = await startBroker({ props: GROUP_PROPS });
  const b = broker;
  const admin = kafka(b).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic: 'kcat-group', numPartitions: 4 }] });
    const outputs = ['', ''];
    for (const i of [0, 1]) {
      const child = spawn('kcat', ['-b', b.bootstrap, '-G', 'kcat-g', '-o', 'beginning', '-u', '-f', '%p %s\\n', '-q', 'kcat-group'], { stdio: ['ignore', 'pipe', 'ignore'] });
      children.push(child);
      child.stdout!.on('data', (d: Buffer) => (outputs[i] += d.toString()));
    }
    await waitFor(async () => {
      const g = (await admin.describeGroups(['kcat-g'])).groups[0];
      return g.state === 'Stable' && g.members.length === 2;
    }, 'two kcat members in a stable group');
    await produce(b, 'kcat-group', 0, 200);
    const lines = () => outputs.flatMap((o) => o.split('\n').filter(Boolean));
    await waitFor(() => lines().length >= 200, '200 records consumed by kcat');
    expect(new Set(lines().map((l) => l.split(' ')[1])).size).toBe(200);
    expect(outputs.every((o) => o.length > 0)).toBe(true);
    for (const c of children) c.kill('SIGTERM');
    await waitFor(() => children.every((c) => c.exitCode !== null || c.signalCode !== null), 'kcat members to exit');
    const committed = await admin.fetchOffsets({ groupId: 'kcat-g', topics: ['kcat-group'] });
    expect(committed[0].partitions.reduce((n, p) => n + Number(p.offset), 0)).toBe(200);
  } finally {
    await admin.disconnect();
  }
});

test('kafka-python commits, the group resumes after a broker restart, and admin views agree', async () => {
  broker = await startBroker({ props: GROUP_PROPS });
  const logDir = broker.logDir;
  const py = async (...args: string[]) => JSON.parse((await run(PYTHON, [PY_GROUP, broker!.bootstrap, ...args], { timeout: 120_000 })).stdout.trim().split('\n').pop()!);

  expect(await py('produce', 'py-topic', '0', '100')).toEqual({ produced: 100 });
  expect(await py('consume', 'py-topic', 'py-g', '100')).toMatchObject({ consumed: 100, first: 'v0' });

  expect(await broker.stop()).toBe(0);
  broker = await startBroker({ logDir, props: GROUP_PROPS });

  expect(await py('produce', 'py-topic', '100', '50')).toEqual({ produced: 50 });
  expect(await py('consume', 'py-topic', 'py-g', '50')).toMatchObject({ consumed: 50, first: 'v100' });

  const views = await py('admin', 'py-g');
  expect(views.groups).toContainEqual(['py-g', 'consumer']);
  expect(views.state).toBe('Empty');
  expect(views.committed).toBe(150);
  expect(views.deleted).toBe(true);
  expect(views.after_delete).not.toContainEqual(['py-g', 'consumer']);
});
