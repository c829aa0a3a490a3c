// The console's overview and topic pages in headless Chromium against a real broker: the overview
// names the cluster and its broker, and the navigation reaches every page; a topic created in the
// dialog (with configs) is listed and exists on the broker; a config edited in the Configs tab is
// what DescribeConfigs then reports; the topics page works at phone width and from the keyboard.

import { Apis, ErrorCode } from '../../protocol';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { cleanup } from '../helpers/broker-process';
import { screenshot, useBrowser } from '../helpers/browser';
import { ConsoleBroker, startConsoleBroker } from '../helpers/console-broker';
import { connectClient } from '../helpers/test-client';
import { waitFor } from '../helpers/wait';
import { TableRow, heading, waitForTable } from './console-page';

const TOPIC_RESOURCE = 2;
const DYNAMIC_TOPIC_CONFIG = 1;

const session = useBrowser();
let cluster: ConsoleBroker;
let client: KafkaConnection;

beforeAll(async () => {
  cluster = await startConsoleBroker();
  client = await connectClient(cluster.broker.port);
});

afterAll(async () => {
  client?.close();
  await cleanup(cluster?.broker);
});

async function createTopic(name: string, configs: Record<string, string> = {}): Promise<void> {
  const res = await client.request(Apis.CreateTopics, 7, {
    topics: [{ name, numPartitions: 1, replicationFactor: 1, configs: Object.entries(configs).map(([k, v]) => ({ name: k, value: v })) }],
    timeoutMs: 5000,
  });
  expect(res.topics[0].errorCode).toBe(ErrorCode.NONE);
}

async function topicConfig(topic: string, key: string): Promise<{ value: string | null; configSource: number } | undefined> {
  const res = await client.request(Apis.DescribeConfigs, 4, { resources: [{ resourceType: TOPIC_RESOURCE, resourceName: topic, configurationKeys: [key] }] });
  expect(res.results[0].errorCode).toBe(ErrorCode.NONE);
  return res.results[0].configs.find((c: { name: string }) => c.name === key);
}

session.test('the overview names the cluster and lists its broker; the navigation reaches every page', async (page) => {
  const metadata = await client.request(Apis.Metadata, 12, { topics: [], allowAutoTopicCreation: false });
  await page.goto(cluster.url);
  await heading(page);
  await page.getByText(metadata.clusterId!, { exact: false }).first().waitFor();
  await page.getByRole('row').filter({ hasText: String(cluster.broker.port) }).first().waitFor();
  await screenshot(page, 'overview');

  // kafka-ts answers the ACL, SCRAM and transaction APIs, so all five links are there.
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const [link, path] of [['Security', '/security'], ['Transactions', '/transactions'], ['Consumer groups', '/groups'], ['Topics', '/topics'], ['Overview', '/']]) {
    await nav.getByRole('link', { name: link, exact: true }).click();
    await page.waitForURL((url) => url.pathname === path);
    await heading(page);
    if (link === 'Security' || link === 'Transactions') await screenshot(page, link.toLowerCase());
  }
});

session.test('a topic created in the dialog is listed and exists on the broker with its configs', async (page) => {
  await createTopic('audit-log');
  await page.goto(cluster.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Topics', exact: true }).click();
  await page.waitForURL(/\/topics$/);
  await heading(page);
  expect(await page.getByLabel('Hide internal topics', { exact: true }).isChecked()).toBe(true);

  await page.getByRole('button', { name: 'Create topic', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name', { exact: true }).fill('orders');
  await dialog.getByLabel('Partitions', { exact: true }).fill('3');
  await dialog.getByLabel('Replication factor', { exact: true }).fill('1');
  await dialog.getByLabel('Configs', { exact: true }).fill('cleanup.policy=compact\nretention.ms=3600000');
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });

  const table = page.getByRole('table').first();
  const named = (name: string) => (r: TableRow) => Object.values(r).includes(name);
  const rows = await waitForTable(table, (rs) => rs.some(named('orders')) && rs.some(named('audit-log')), 'both topics to be listed');
  const orders = rows.find(named('orders'));
  expect(Object.entries(orders!).some(([column, value]) => /^partitions$/i.test(column) && value === '3')).toBe(true);
  await screenshot(page, 'topics');

  expect(await topicConfig('orders', 'cleanup.policy')).toMatchObject({ value: 'compact', configSource: DYNAMIC_TOPIC_CONFIG });
  expect(await topicConfig('orders', 'retention.ms')).toMatchObject({ value: '3600000', configSource: DYNAMIC_TOPIC_CONFIG });

  await page.getByLabel('Filter topics', { exact: true }).fill('audit');
  await waitForTable(table, (rs) => rs.length === 1 && named('audit-log')(rs[0]), 'the filter to leave only audit-log');
});

session.test('a config edited in the Configs tab is what DescribeConfigs reports', async (page) => {
  await createTopic('tunable', { 'cleanup.policy': 'compact' });
  await page.goto(`${cluster.url}topics/tunable`);
  expect(await heading(page)).toContain('tunable');
  await page.getByRole('tab', { name: 'Configs', exact: true }).click();

  const nameCell = page.getByRole('cell', { name: 'retention.ms', exact: true }).or(page.getByRole('rowheader', { name: 'retention.ms', exact: true }));
  const row = page.getByRole('row').filter({ has: nameCell });
  await row.getByRole('button', { name: 'Edit', exact: true }).click();
  await page.getByRole('textbox', { name: 'retention.ms', exact: true }).fill('7200000');
  await page.getByRole('button', { name: 'Save', exact: true }).click();

  await waitFor(async () => (await row.textContent())?.includes('7200000') ?? false, 'the Configs table to show the new value', 10_000);
  await waitFor(async () => (await topicConfig('tunable', 'retention.ms'))?.value === '7200000', 'DescribeConfigs to report retention.ms=7200000', 10_000);
  expect(await topicConfig('tunable', 'retention.ms')).toMatchObject({ value: '7200000', configSource: DYNAMIC_TOPIC_CONFIG });
  // The other override stays: an incremental change, not a replacement of the whole set.
  expect(await topicConfig('tunable', 'cleanup.policy')).toMatchObject({ value: 'compact', configSource: DYNAMIC_TOPIC_CONFIG });
});

session.test('at 390 px wide the topics page fits the screen, and the keyboard opens its dialog', async (page) => {
  await createTopic('narrow-view');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${cluster.url}topics`);
  await heading(page);
  await page.getByRole('table').first().waitFor();
  // Wide tables may scroll in their own box; the page itself does not scroll sideways.
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
  await screenshot(page, 'topics-narrow');

  const create = page.getByRole('button', { name: 'Create topic', exact: true });
  const focused = async () => (await create.and(page.locator(':focus')).count()) === 1;
  for (let tabs = 0; tabs < 40 && !(await focused()); tabs++) await page.keyboard.press('Tab');
  expect(await focused()).toBe(true);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  // The dialog takes the focus, so typing goes into it.
  await waitFor(async () => (await dialog.locator(':focus').count()) === 1, 'the focus to move into the dialog', 5_000);
});
