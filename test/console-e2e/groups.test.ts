// The console's consumer group pages in headless Chromium against a real broker: a group kafkajs
// consumes shows its member, committed offsets, end offsets and lag (the right numbers, from the
// records kcat produced); offsets reset only once the group is Empty, as Kafka requires; a reset
// to earliest with a preview changes the lag, and the broker reports the new offsets.

import { Admin, Consumer, Kafka, logLevel } from 'kafkajs';
import { Page } from 'playwright-core';
import { cleanup } from '../helpers/broker-process';
import { screenshot, useBrowser } from '../helpers/browser';
import { ConsoleBroker, kcat, killKcats, startConsoleBroker } from '../helpers/console-broker';
import { waitFor } from '../helpers/wait';
import { TableRow, choose, heading, waitForTable } from './console-page';

const session = useBrowser();
let cluster: ConsoleBroker;
let admin: Admin;
const consumers: Consumer[] = [];

beforeAll(async () => {
  // No initial rebalance delay: a lone kafkajs member joins at once.
  cluster = await startConsoleBroker({ props: { 'group.initial.rebalance.delay.ms': 0 } });
  admin = kafka('console-e2e-admin').admin();
  await admin.connect();
});

afterEach(async () => {
  killKcats();
  await Promise.all(consumers.splice(0).map((c) => c.disconnect()));
});

afterAll(async () => {
  await admin?.disconnect();
  await cleanup(cluster?.broker);
});

function kafka(clientId: string): Kafka {
  return new Kafka({ clientId, brokers: [cluster.broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 5 } });
}

/** A topic with `counts[p]` records on partition p, produced by kcat. */
async function topicWithRecords(topic: string, counts: number[]): Promise<void> {
  expect(await admin.createTopics({ topics: [{ topic, numPartitions: counts.length }], waitForLeaders: true })).toBe(true);
  for (const [partition, count] of counts.entries()) await produce(topic, partition, count, 'v');
}

async function produce(topic: string, partition: number, count: number, prefix: string): Promise<void> {
  const lines = Array.from({ length: count }, (_, i) => `${prefix}-${partition}-${i}`);
  await kcat(cluster.broker.bootstrap, ['-P', '-t', topic, '-p', String(partition)], lines.join('\n') + '\n');
}

async function committed(groupId: string, topic: string): Promise<number[]> {
  const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return offsets.partitions.sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset));
}

/** A kafkajs member of the group that has read and committed every record of the topic; still running. */
async function consumeEverything(groupId: string, clientId: string, topic: string, counts: number[]): Promise<Consumer> {
  const consumer = kafka(clientId).consumer({ groupId, sessionTimeout: 6000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ autoCommitThreshold: 1, eachMessage: async () => undefined });
  await waitFor(async () => JSON.stringify(await committed(groupId, topic)) === JSON.stringify(counts), `${groupId} to commit ${counts}`, 20_000);
  return consumer;
}

async function stop(consumer: Consumer, groupId: string): Promise<void> {
  await consumer.disconnect();
  consumers.splice(consumers.indexOf(consumer), 1);
  await waitFor(async () => (await admin.describeGroups([groupId])).groups[0].state === 'Empty', `${groupId} to be Empty`, 10_000);
}

const offsetsTable = (page: Page) => page.getByRole('table', { name: 'Offsets' });

/** The Offsets table's rows as [partition, committed, end, lag] for one topic, by partition. */
function offsetsOf(rows: TableRow[], topic: string): string[][] {
  return rows
    .filter((r) => r.Topic === topic)
    .map((r) => [r.Partition, r.Committed, r.End, r.Lag])
    .sort((a, b) => Number(a[0]) - Number(b[0]));
}

async function waitForOffsets(page: Page, topic: string, want: string[][], what: string): Promise<void> {
  await waitForTable(offsetsTable(page), (rs) => JSON.stringify(offsetsOf(rs, topic)) === JSON.stringify(want), what);
}

session.test('a group kafkajs consumes shows its member, offsets and lag; resetting waits until it is Empty', async (page) => {
  await topicWithRecords('payments', [10, 6]);
  const consumer = await consumeEverything('billing', 'billing-app', 'payments', [10, 6]);

  await page.goto(cluster.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Consumer groups', exact: true }).click();
  await page.waitForURL(/\/groups$/);
  await heading(page);
  const groups = page.getByRole('table').first();
  await waitForTable(groups, (rs) => rs.some((r) => ['billing', 'Stable', '1', '0'].every((v) => Object.values(r).includes(v))), 'billing: Stable, 1 member, lag 0');
  await screenshot(page, 'consumer-groups');

  await groups.getByRole('link', { name: 'billing', exact: true }).click();
  await page.waitForURL(/\/groups\/billing$/);
  expect(await heading(page)).toContain('billing');
  await page.getByRole('table').filter({ hasText: 'billing-app' }).first().waitFor();
  await waitForOffsets(page, 'payments', [['0', '10', '10', '0'], ['1', '6', '6', '0']], 'offsets at the end, no lag');

  // Kafka resets only an Empty group's offsets: with a member, the dialog cannot apply.
  await page.getByRole('button', { name: 'Reset offsets', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  expect(await dialog.getByRole('button', { name: 'Apply', exact: true }).isDisabled()).toBe(true);

  await stop(consumer, 'billing');
  await produce('payments', 0, 4, 'late');
  await page.reload();
  await waitForOffsets(page, 'payments', [['0', '10', '14', '4'], ['1', '6', '6', '0']], 'a lag of 4 on partition 0');
  await page.getByText('Empty', { exact: true }).first().waitFor();
  await screenshot(page, 'consumer-group');
});

session.test('a reset to earliest, previewed then applied in the dialog, changes the lag', async (page) => {
  await topicWithRecords('refunds', [5, 3]);
  await stop(await consumeEverything('ledger', 'ledger-app', 'refunds', [5, 3]), 'ledger');

  await page.goto(`${cluster.url}groups/ledger`);
  expect(await heading(page)).toContain('ledger');
  await waitForOffsets(page, 'refunds', [['0', '5', '5', '0'], ['1', '3', '3', '0']], 'offsets at the end, no lag');

  await page.getByRole('button', { name: 'Reset offsets', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await choose(dialog, 'Topic', 'refunds');
  await choose(dialog, 'Reset to', 'Earliest');
  await dialog.getByRole('button', { name: 'Preview', exact: true }).click();
  // The plan: each partition from its committed offset to 0; nothing changes before Apply.
  const plan = await waitForTable(dialog.getByRole('table'), (rs) => rs.length === 2, 'a plan of two partitions');
  const zeros = (r: TableRow) => Object.values(r).filter((v) => v === '0').length;
  expect(Object.values(plan[0])).toEqual(expect.arrayContaining(['refunds', '0', '5']));
  expect(zeros(plan[0])).toBe(2);
  expect(Object.values(plan[1])).toEqual(expect.arrayContaining(['refunds', '1', '3', '0']));
  expect(await committed('ledger', 'refunds')).toEqual([5, 3]);

  const apply = dialog.getByRole('button', { name: 'Apply', exact: true });
  expect(await apply.isEnabled()).toBe(true);
  await apply.click();
  await waitForOffsets(page, 'refunds', [['0', '0', '5', '5'], ['1', '0', '3', '3']], 'offsets at 0, the whole topic as lag');
  expect(await committed('ledger', 'refunds')).toEqual([0, 0]);
});
