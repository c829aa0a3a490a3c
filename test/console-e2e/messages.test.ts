// The console's message browser in headless Chromium against a real broker, checked against kcat:
// a record produced in the page (key, value, headers, partition) is on the broker and in the
// Records table; a header filter shows only the records whose header matches; the live tail shows
// a record kcat produces while it runs.

import { Page } from 'playwright-core';
import { Apis, ErrorCode } from '../../protocol';
import { cleanup } from '../helpers/broker-process';
import { screenshot, useBrowser } from '../helpers/browser';
import { ConsoleBroker, kcat, killKcats, startConsoleBroker } from '../helpers/console-broker';
import { connectClient } from '../helpers/test-client';
import { TableRow, choose, heading, rowText, waitForPressed, waitForTable } from './console-page';

const session = useBrowser();
let cluster: ConsoleBroker;

beforeAll(async () => {
  cluster = await startConsoleBroker();
  const client = await connectClient(cluster.broker.port);
  try {
    const res = await client.request(Apis.CreateTopics, 7, {
      topics: [
        { name: 'orders', numPartitions: 2, replicationFactor: 1, configs: [] },
        { name: 'tagged', numPartitions: 1, replicationFactor: 1, configs: [] },
        { name: 'tailed', numPartitions: 1, replicationFactor: 1, configs: [] },
      ],
      timeoutMs: 5000,
    });
    expect(res.topics.map((t: { errorCode: number }) => t.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE, ErrorCode.NONE]);
  } finally {
    client.close();
  }
});

afterEach(() => killKcats());

afterAll(async () => {
  await cleanup(cluster?.broker);
});

async function openMessages(page: Page, topic: string): Promise<void> {
  await page.goto(`${cluster.url}topics/${topic}`);
  expect(await heading(page)).toContain(topic);
  await page.getByRole('tab', { name: 'Messages', exact: true }).click();
}

function records(page: Page) {
  return page.getByRole('table', { name: 'Records' });
}

const hasKey = (key: string) => (r: TableRow) => Object.values(r).includes(key);

session.test('a record produced in the dialog is on the broker and in the Records table, with its headers', async (page) => {
  await openMessages(page, 'orders');
  await page.getByRole('button', { name: 'Produce', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Key', { exact: true }).fill('order-42');
  await dialog.getByLabel('Value', { exact: true }).fill('{"item":"tea","qty":2}');
  await dialog.getByLabel('Headers', { exact: true }).fill('source=console\ntrace-id=abc123');
  await dialog.getByLabel('Partition', { exact: true }).fill('1');
  await dialog.getByRole('button', { name: 'Send', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });

  const rows = await waitForTable(records(page), (rs) => rs.some(hasKey('order-42')), 'the produced record in the Records table');
  expect(rowText(rows.find(hasKey('order-42'))!)).toContain('tea');
  // kcat reads it back from partition 1: the page produced exactly what was typed.
  const read = await kcat(cluster.broker.bootstrap, ['-C', '-t', 'orders', '-p', '1', '-o', 'beginning', '-e', '-q', '-f', '%k|%s|%h\\n']);
  expect(read).toBe('order-42|{"item":"tea","qty":2}|source=console,trace-id=abc123\n');

  // The row expands to its headers and timestamp type.
  const row = records(page).getByRole('row').filter({ hasText: 'order-42' }).first();
  const expander = row.locator('[aria-expanded]');
  if ((await expander.count()) > 0) await expander.first().click();
  else await row.click();
  await records(page).getByText('trace-id').first().waitFor();
  await records(page).getByText('abc123').first().waitFor();
  await records(page).getByText('CreateTime').first().waitFor();
  await screenshot(page, 'topic-messages');
});

session.test('a header filter shows only the records whose header matches', async (page) => {
  const produce = (headers: string[], lines: string[]) =>
    kcat(cluster.broker.bootstrap, ['-P', '-t', 'tagged', '-K:', ...headers.flatMap((h) => ['-H', h])], lines.join('\n') + '\n');
  await produce(['env=prod'], ['k-prod-1:first', 'k-prod-2:second']);
  await produce(['env=dev'], ['k-dev-1:third']);
  // "prod" in another header's value and in a value: a header filter on env must not match them.
  await produce(['region=prod'], ['k-region:fourth']);
  await produce([], ['k-plain:prod-in-the-value']);

  await openMessages(page, 'tagged');
  await choose(page, 'Start', 'Earliest');
  await choose(page, 'Filter on', 'Header');
  await page.getByLabel('Header key', { exact: true }).fill('env');
  await page.getByLabel('Filter', { exact: true }).fill('prod');
  await choose(page, 'Match', 'Substring');
  await page.getByRole('button', { name: 'Search', exact: true }).click();

  const rows = await waitForTable(
    records(page),
    (rs) => rs.length === 2 && rs.some(hasKey('k-prod-1')) && rs.some(hasKey('k-prod-2')),
    'only the two env=prod records',
  );
  expect(rows.map(rowText).join('\n')).not.toMatch(/k-dev-1|k-region|k-plain/);
});

session.test('the live tail shows a record kcat produces while it runs', async (page) => {
  await kcat(cluster.broker.bootstrap, ['-P', '-t', 'tailed', '-K:'], 'before:already-there\n');
  await openMessages(page, 'tailed');
  await waitForTable(records(page), (rs) => rs.some(hasKey('before')), 'the existing record on the last page');

  // The tail starts from the end at connect time: produce once its event stream has answered.
  const streamOpen = page.waitForResponse((res) => new URL(res.url()).pathname === '/api/topics/tailed/tail');
  const liveTail = page.getByRole('button', { name: 'Live tail', exact: true });
  await liveTail.click();
  await waitForPressed(liveTail, true);
  expect((await streamOpen).status()).toBe(200);

  await kcat(cluster.broker.bootstrap, ['-P', '-t', 'tailed', '-K:', '-H', 'via=kcat'], 'tail-key:from-kcat\n');
  const rows = await waitForTable(records(page), (rs) => rs.some(hasKey('tail-key')), 'the tailed record in the Records table');
  expect(rowText(rows.find(hasKey('tail-key'))!)).toContain('from-kcat');

  await liveTail.click();
  await waitForPressed(liveTail, false);
});
