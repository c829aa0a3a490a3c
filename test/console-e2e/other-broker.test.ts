// The standalone console against a broker that is not kafka-ts: librdkafka's mock cluster (built by
// `make test`). What the mock serves works in the page (overview, topics, partitions, producing and
// browsing records); what it lacks (DescribeConfigs, ListGroups, ACLs, transactions) is reported
// as unavailable, never as a broken page.
import { MockCluster } from '../../bench/servers/mock-cluster';
import { ConsoleServer } from '../../src/console/console-server';
import { screenshot, useBrowser } from '../helpers/browser';
import { TableRow, heading, rowText, waitForTable } from './console-page';

const session = useBrowser();
let mock: MockCluster;
let console_: ConsoleServer;

beforeAll(async () => {
  mock = await MockCluster.start();
  await mock.createTopic('events', 1);
  console_ = await ConsoleServer.start({ host: '127.0.0.1', port: 0 }, { bootstrapServers: `${mock.host}:${mock.port}` });
});

afterAll(async () => {
  await console_?.close();
  await mock?.stop();
});

session.test('overview, topics and the message browser work on the mock cluster', async (page) => {
  await page.goto(console_.url);
  expect(await heading(page)).toBeTruthy();
  await waitForTable(page.getByRole('table', { name: 'Brokers' }), (rs) => rs.some((r) => rowText(r).includes(String(mock.port))), 'the mock broker in the Brokers table');
  await screenshot(page, 'mock-overview');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Topics', exact: true }).click();
  await waitForTable(page.getByRole('table', { name: 'Topics' }), (rs) => rs.some((r) => rowText(r).includes('events')), 'the mock topic listed');

  await page.goto(`${console_.url}topics/events`);
  expect(await heading(page)).toContain('events');
  await page.getByRole('tab', { name: 'Configs', exact: true }).click();
  await page.getByText('Configs unavailable').waitFor();

  await page.getByRole('tab', { name: 'Messages', exact: true }).click();
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Key', { exact: true }).fill('mock-key');
  await dialog.getByLabel('Value', { exact: true }).fill('mock-value');
  await dialog.getByRole('button', { name: 'Send', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
  const rows = await waitForTable(page.getByRole('table', { name: 'Records' }), (rs: TableRow[]) => rs.some((r) => Object.values(r).includes('mock-key')), 'the produced record');
  expect(rowText(rows.find((r) => Object.values(r).includes('mock-key'))!)).toContain('mock-value');
});

session.test('what the mock cluster lacks shows as unavailable', async (page) => {
  await page.goto(`${console_.url}groups`);
  expect(await heading(page)).toBeTruthy();
  await page.getByText(/unavailable|does not support/i).first().waitFor();
  expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security', exact: true }).count()).toBe(0);
});
