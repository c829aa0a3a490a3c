// The browser harness itself, against a static page served by node:http (no broker): chromium
// launches headless, tables read as rows keyed by their headers, choices are made by label in a
// select or a radio group, a toggle's aria-pressed is awaited, an event stream's response is seen
// while it stays open, and screenshots are PNG files in the output directory.

import { readFileSync, rmSync } from 'node:fs';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { screenshot, useBrowser } from '../helpers/browser';
import { choose, heading, readTable, waitForPressed } from './console-page';

const PAGE = `<!doctype html>
<html><head><title>harness</title></head><body>
<h1>Harness</h1>
<table aria-label="Offsets">
  <thead><tr><th>Topic</th><th>Partition</th><th>Lag</th></tr></thead>
  <tbody>
    <tr><td><a href="#">payments</a></td><td>0</td><td> 4 </td></tr>
    <tr><td colspan="3">details <table><tr><td>nested</td></tr></table></td></tr>
  </tbody>
</table>
<table aria-label="Plain"><tr><th>Key</th><th>Value</th></tr><tr><td>k</td><td>v</td></tr></table>
<label>Reset to <select id="to"><option>Latest</option><option>Earliest</option></select></label>
<div role="radiogroup" aria-label="Filter on">
  <label><input type="radio" name="on" value="key" checked> Key</label>
  <label><input type="radio" name="on" value="header"> Header</label>
</div>
<button aria-pressed="false" id="tail">Live tail</button>
<output id="chosen"></output>
<script>
  const tail = document.getElementById('tail');
  tail.addEventListener('click', () => {
    const on = tail.getAttribute('aria-pressed') !== 'true';
    tail.setAttribute('aria-pressed', String(on));
    if (on) new EventSource('/stream');
  });
  const show = () => {
    document.getElementById('chosen').textContent =
      document.getElementById('to').value + '/' + document.querySelector('input[name=on]:checked').value;
  };
  document.body.addEventListener('change', show);
</script>
</body></html>`;

const session = useBrowser();
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/stream') {
      // An event stream that never ends: its response must still be observable.
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': open\n\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((res) => server.close(res));
});

session.test('tables read as rows keyed by column header, ignoring nested tables', async (page) => {
  await page.goto(url);
  expect(await heading(page)).toBe('Harness');
  expect(await readTable(page.getByRole('table', { name: 'Offsets' }))).toEqual([{ Topic: 'payments', Partition: '0', Lag: '4' }, { Topic: 'details nested' }]);
  expect(await readTable(page.getByRole('table', { name: 'Plain' }))).toEqual([{ Key: 'k', Value: 'v' }]);
});

session.test('choices by label work for a select and a radio group; toggles and event streams are awaited', async (page) => {
  await page.goto(url);
  await choose(page, 'Reset to', 'Earliest');
  await choose(page, 'Filter on', 'Header');
  await page.getByText('Earliest/header', { exact: true }).waitFor();

  const stream = page.waitForResponse((res) => new URL(res.url()).pathname === '/stream');
  const tail = page.getByRole('button', { name: 'Live tail', exact: true });
  await tail.click();
  await waitForPressed(tail, true);
  expect((await stream).status()).toBe(200);
});

session.test('screenshots are PNG files in the output directory', async (page) => {
  await page.goto(url);
  const path = await screenshot(page, 'harness-self-test');
  try {
    expect(readFileSync(path).subarray(1, 4).toString()).toBe('PNG');
  } finally {
    rmSync(path);
  }
});
