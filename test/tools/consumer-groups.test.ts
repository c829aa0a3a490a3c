// kafka-consumer-groups.sh against a real broker, with a kafkajs consumer as the group's member:
// --list, --describe (offsets, members, state) while it runs and after it leaves, offset resets
// (dry run, --execute, --export, refused while active), --delete-offsets and --delete, each
// compared with Kafka 3.9's output for the same state; usage errors exit 1.

import { Consumer, Kafka, logLevel } from 'kafkajs';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { runTool } from '../helpers/run-tool';
import { waitFor } from '../helpers/wait';

const TOPIC = 'orders';
const GROUP = 'app';
const pad = (s: string | number, n: number) => String(s).padEnd(n);

let broker: BrokerProcess | undefined;
let kafka: Kafka;
let consumer: Consumer | undefined;

const groups = (...args: string[]) => runTool('kafka-consumer-groups', ['--bootstrap-server', broker!.bootstrap, ...args]);

/** Kafka's offsets table for rows of [partition, current, end, lag, consumer, host, client]. */
function offsetsTable(rows: (string | number)[][]): string {
  const consumerWidth = Math.max(15, ...rows.map((r) => String(r[4]).length));
  const hostWidth = Math.max(15, ...rows.map((r) => String(r[5]).length));
  const line = (c: (string | number)[]) =>
    `\n${pad(c[0], 15)} ${pad(c[1], 15)} ${pad(c[2], 10)} ${pad(c[3], 15)} ${pad(c[4], 15)} ${pad(c[5], 15)} ${pad(c[6], consumerWidth)} ${pad(c[7], hostWidth)} ${c[8]}`;
  return line(['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID']) + rows.map((r) => line([GROUP, TOPIC, ...r])).join('') + '\n';
}

beforeAll(async () => {
  broker = await startBroker();
  kafka = new Kafka({ clientId: 'cg-test', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 5 } });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: TOPIC, messages: [0, 0, 0, 0, 0, 1, 1, 1].map((partition, i) => ({ partition, value: `m${i}` })) });
  await producer.disconnect();
});

afterAll(async () => {
  await consumer?.disconnect();
  await cleanup(broker);
});

test('describes a running group, then the same group empty', async () => {
  consumer = kafka.consumer({ groupId: GROUP, heartbeatInterval: 500 });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  let seen = 0;
  await consumer.run({ autoCommitInterval: 50, eachMessage: async () => void seen++ });
  await waitFor(() => seen === 8, 'the consumer to read every record');
  const admin = kafka.admin();
  await admin.connect();
  await waitFor(async () => {
    const [t] = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    return t.partitions.filter((p) => p.offset !== '-1').length === 2;
  }, 'both offsets committed');
  const member = (await admin.describeGroups([GROUP])).groups[0].members[0];
  await admin.disconnect();
  const id = member.memberId;
  const host = member.clientHost;

  const described = await groups('--describe', '--group', GROUP);
  expect(described.stderr).toBe('');
  expect(described.code).toBe(0);
  expect(described.stdout).toBe(
    offsetsTable([
      [0, 5, 5, 0, id, host, 'cg-test'],
      [1, 3, 3, 0, id, host, 'cg-test'],
      [2, '-', 0, '-', id, host, 'cg-test'],
    ]),
  );

  const members = await groups('--describe', '--group', GROUP, '--members', '--verbose');
  const w = (s: string) => Math.max(15, s.length);
  const memberLine = (c: string[]) => `${pad(c[0], 15)} ${pad(c[1], w(id))} ${pad(c[2], w(host))} ${pad(c[3], 15)} ${pad(c[4], 15)} `;
  expect(members.stdout).toBe(`\n${memberLine(['GROUP', 'CONSUMER-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS'])}ASSIGNMENT\n${memberLine([GROUP, id, host, 'cg-test', '3'])}(0,1,2)\n`);

  const state = await groups('--describe', '--group', GROUP, '--state');
  const coordinator = `127.0.0.1:${broker!.port}  (0)`;
  const stateLine = (c: string[]) => `\n${pad(c[0], Math.max(25, coordinator.length))} ${pad(c[1], 25)} ${pad(c[2], 20)} ${pad(c[3], 15)} ${c[4]}`;
  expect(state.stdout).toBe(`${stateLine(['GROUP', 'COORDINATOR (ID)', 'ASSIGNMENT-STRATEGY', 'STATE', '#MEMBERS'])}${stateLine([GROUP, coordinator, 'RoundRobinAssigner', 'Stable', '1'])}\n`);

  const refused = await groups('--reset-offsets', '--group', GROUP, '--topic', TOPIC, '--to-earliest', '--execute');
  expect(refused.stdout).toBe(`\nError: Assignments can only be reset if the group '${GROUP}' is inactive, but the current state is Stable.\n\n${pad('GROUP', 30)} ${pad('TOPIC', 30)} ${pad('PARTITION', 10)} ${pad('NEW-OFFSET', 15)}\n`);

  expect((await groups('--list')).stdout).toBe(`${GROUP}\n`);
  expect((await groups('--list', '--state')).stdout).toBe(`${pad('GROUP', 25)} ${pad('STATE', 20)}\n${pad(GROUP, 25)} ${pad('Stable', 20)}\n`);
  expect((await groups('--list', '--state', 'empty')).stdout).toBe(`${pad('GROUP', 25)} ${pad('STATE', 20)}\n`);

  await consumer.disconnect();
  consumer = undefined;
  const empty = await groups('--describe', '--group', GROUP);
  expect(empty.stderr).toBe(`\nConsumer group '${GROUP}' has no active members.\n`);
  expect(empty.stdout).toBe(offsetsTable([
    [0, 5, 5, 0, '-', '-', '-'],
    [1, 3, 3, 0, '-', '-', '-'],
  ]));
});

test('resets, exports and deletes offsets, then deletes the group', async () => {
  const header = `\n${pad('GROUP', 30)} ${pad('TOPIC', 30)} ${pad('PARTITION', 10)} ${pad('NEW-OFFSET', 15)}\n`;
  const row = (p: number, o: number) => `${pad(GROUP, 30)} ${pad(TOPIC, 30)} ${pad(p, 10)} ${pad(o, 15)}\n`;

  const dryRun = await groups('--reset-offsets', '--group', GROUP, '--topic', `${TOPIC}:0,1`, '--to-earliest');
  expect(dryRun.stderr).toMatch(/^WARN: No action will be performed as the --execute option is missing\./);
  expect(dryRun.stdout).toBe(header + row(0, 0) + row(1, 0));

  const shifted = await groups('--reset-offsets', '--group', GROUP, '--all-topics', '--shift-by', '-2', '--execute');
  expect(shifted.stdout).toBe(header + row(0, 3) + row(1, 1));
  const exported = await groups('--reset-offsets', '--group', GROUP, '--topic', TOPIC, '--to-offset', '4', '--dry-run', '--export');
  expect(exported.stdout).toBe(`${TOPIC},0,4\n${TOPIC},1,3\n${TOPIC},2,0\n\n`);
  const past = await groups('--reset-offsets', '--group', GROUP, '--topic', TOPIC, '--to-datetime', '2000-01-01T00:00:00.000', '--dry-run');
  const fallback = (p: number) => `\nWarn: Partition ${p} from topic ${TOPIC} is empty. Falling back to latest known offset.\n`;
  expect(past.stdout).toBe(fallback(2) + header + row(0, 0) + row(1, 0) + row(2, 0));
  const future = await groups('--reset-offsets', '--group', GROUP, '--topic', `${TOPIC}:0,1`, '--to-datetime', '2999-01-01T00:00:00.000Z', '--dry-run');
  expect(future.stdout).toBe(fallback(0) + fallback(1) + header + row(0, 5) + row(1, 3));
  const latest = await groups('--reset-offsets', '--group', GROUP, '--topic', `${TOPIC}:2`, '--to-latest', '--execute');
  expect(latest.stdout).toBe(header + row(2, 0));

  await groups('--reset-offsets', '--group', 'other', '--topic', `${TOPIC}:0`, '--to-offset', '1', '--execute');
  const both = await groups('--describe', '--all-groups');
  const table = (group: string, rows: (string | number)[][]) => offsetsTable(rows).replace(new RegExp(`\n${GROUP} {12}`, 'g'), `\n${group.padEnd(15)}`);
  expect(both.stdout).toBe(
    table(GROUP, [
      [0, 3, 5, 2, '-', '-', '-'],
      [1, 1, 3, 2, '-', '-', '-'],
      [2, 0, 0, 0, '-', '-', '-'],
    ]) + table('other', [[0, 1, 5, 4, '-', '-', '-']]),
  );
  expect(both.stderr).toBe(`\nConsumer group '${GROUP}' has no active members.\n\nConsumer group 'other' has no active members.\n`);
  await groups('--delete', '--group', 'other');

  const deletedOffsets = await groups('--delete-offsets', '--group', GROUP, '--topic', `${TOPIC}:1`);
  expect(deletedOffsets.stdout).toBe(`Request succeed for deleting offsets with topic ${TOPIC}:1 group ${GROUP}\n\n${pad('TOPIC', 30)} ${pad('PARTITION', 15)} ${pad('STATUS', 15)}\n${pad(TOPIC, 30)} ${pad(1, 15)} ${pad('Successful', 15)}\n`);

  expect((await groups('--delete', '--group', GROUP)).stdout).toBe(`Deletion of requested consumer groups ('${GROUP}') was successful.\n`);
  const gone = await groups('--describe', '--group', GROUP);
  expect(gone.stdout).toBe(`\nError: Consumer group '${GROUP}' does not exist.\n`);
  const failed = await groups('--delete', '--group', GROUP);
  expect(failed.stdout).toBe(
    `\nError: Deletion of some consumer groups failed:\n* Group '${GROUP}' could not be deleted due to: java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.GroupIdNotFoundException: The group id does not exist.\n`,
  );
});

test('usage errors and an unreachable broker', async () => {
  const noAction = await groups('--group', GROUP);
  expect(noAction.code).toBe(1);
  expect(noAction.stderr.split('\n')[0]).toBe('Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets');
  expect((await groups('--describe')).stderr.split('\n')[0]).toBe('Option [describe] takes one of these options: [all-groups], [group]');
  expect((await groups('--reset-offsets', '--group', 'g', '--to-earliest', '--to-latest', '--dry-run')).stderr.split('\n')[0]).toMatch(/^Option "\[to-earliest\]" can't be used with option "\[to-latest\]"$/);
  expect((await groups('--list', '--state', 'bogus')).stderr.split('\n')[0]).toBe(
    "Invalid state list 'bogus'. Valid states are: PreparingRebalance, CompletingRebalance, Stable, Dead, Empty, Assigning, Reconciling",
  );
  const unreachable = await runTool('kafka-consumer-groups', ['--bootstrap-server', '127.0.0.1:1', '--list']);
  expect(unreachable.code).toBe(1);
  expect(unreachable.stderr).toMatch(/^Error: .*127\.0\.0\.1:1.*\n$/);
});

test('a reset over a thousand partitions reports its progress on stderr, the plan on stdout as Kafka prints it', async () => {
  const created = await runTool('kafka-topics', ['--bootstrap-server', broker!.bootstrap, '--create', '--topic', 'wide', '--partitions', '1000']);
  expect(created.code).toBe(0);
  const reset = await groups('--reset-offsets', '--group', 'wide-readers', '--topic', 'wide', '--to-earliest', '--execute');
  expect(reset.code).toBe(0);
  expect(reset.stderr).toBe('Listed offsets of 1000 of 1000 partitions\nCommitted new offsets of 1000 partitions for group wide-readers\n');
  const rows = reset.stdout.split('\n').filter((l) => l.startsWith('wide-readers'));
  expect(rows).toHaveLength(1000);
  expect(rows.every((l) => /^wide-readers\s+wide\s+\d+\s+0\s*$/.test(l))).toBe(true);
});
