// kafka-producer-perf-test.sh and kafka-consumer-perf-test.sh as real processes: Kafka's progress
// and summary line shapes, the records produced all in the topic, the consumer's header and row.

import { Apis } from '../../protocol';
import { ClusterClient } from '../../src/client/cluster-client';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { runTool } from '../helpers/run-tool';

let broker: BrokerProcess;
let client: ClusterClient;

beforeAll(async () => {
  broker = await startBroker({ props: { 'group.initial.rebalance.delay.ms': 0 } });
  client = await ClusterClient.connect({ bootstrapServers: broker.bootstrap });
});

afterAll(async () => {
  client?.close();
  await cleanup(broker);
});

async function endOffset(topic: string): Promise<number> {
  const res = await client.request(Apis.ListOffsets, { replicaId: -1, topics: [{ name: topic, partitions: [{ partitionIndex: 0, timestamp: -1n }] }] }, { to: 0, minVersion: 1 });
  return Number(res.topics[0].partitions[0].offset);
}

const SUMMARY = /^(\d+) records sent, \d+\.\d{6} records\/sec \(\d+\.\d{2} MB\/sec\), \d+\.\d{2} ms avg latency, \d+\.\d{2} ms max latency, \d+ ms 50th, \d+ ms 95th, \d+ ms 99th, \d+ ms 99\.9th\.$/;
const PROGRESS = /^\d+ records sent, \d+\.\d records\/sec \(\d+\.\d{2} MB\/sec\), \d+\.\d ms avg latency, \d+\.\d ms max latency\.$/;
const DATE = '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}:\\d{3}';
const ROW = new RegExp(`^${DATE}, ${DATE}, \\d+\\.\\d{4}, \\d+\\.\\d{4}, (\\d+), \\d+\\.\\d{4}, \\d+, \\d+, \\d+\\.\\d{4}, \\d+\\.\\d{4}$`);
const HEADER = 'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';

test('producer perf: a summary line in Kafka format, every record in the topic', async () => {
  const out = await runTool('kafka-producer-perf-test', ['--topic', 'perf', '--num-records', '20000', '--record-size', '100', '--throughput', '-1', '--producer-props', `bootstrap.servers=${broker.bootstrap}`, 'acks=1', 'linger.ms=5']);
  expect(out).toMatchObject({ code: 0, stderr: '' });
  const lines = out.stdout.trimEnd().split('\n');
  expect(lines[lines.length - 1]).toMatch(SUMMARY);
  expect(SUMMARY.exec(lines[lines.length - 1])![1]).toBe('20000');
  expect(await endOffset('perf')).toBe(20000);
});

test('producer perf: progress lines every 5 s under --throughput, payloads from a file, metrics', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'perf-'));
  writeFileSync(join(dir, 'payloads.txt'), 'alpha\nbeta\ngamma\n');
  const out = await runTool('kafka-producer-perf-test', [
    '--topic', 'throttled', '--num-records', '6000', '--payload-file', join(dir, 'payloads.txt'), '--throughput', '1000',
    '--producer-props', `bootstrap.servers=${broker.bootstrap}`, '--print-metrics',
  ]);
  expect(out.code).toBe(0);
  const lines = out.stdout.split('\n');
  expect(lines[0]).toBe(`Reading payloads from: ${join(dir, 'payloads.txt')}`);
  expect(lines[1]).toBe('Number of messages read: 3');
  expect(lines[2]).toMatch(PROGRESS);
  expect(lines[3]).toMatch(SUMMARY);
  expect(lines[4]).toBe('');
  expect(lines[5]).toMatch(/^Metric Name +Value$/);
  expect(out.stdout).toMatch(/producer-metrics:record-send-total:\{client-id=perf-producer-client\} +: 6000\.000\n/);
  expect(await endOffset('throttled')).toBe(6000);
}, 20_000);

test('producer perf in transactions: every record committed, a marker after each transaction', async () => {
  const out = await runTool('kafka-producer-perf-test', [
    '--topic', 'txperf', '--num-records', '2000', '--record-size', '20', '--throughput', '10000', '--transactional-id', 'perf-tx', '--transaction-duration-ms', '50',
    '--producer-props', `bootstrap.servers=${broker.bootstrap}`,
  ]);
  expect(out.stdout.trimEnd()).toMatch(SUMMARY);
  const committed = await runTool('kafka-console-consumer', ['--bootstrap-server', broker.bootstrap, '--topic', 'txperf', '--from-beginning', '--isolation-level', 'read_committed', '--max-messages', '2000']);
  expect(committed.stderr).toBe('Processed a total of 2000 messages\n');
  // Each transaction's commit marker takes an offset of its own.
  expect(await endOffset('txperf')).toBeGreaterThan(2001);
});

test('consumer perf: header and a row of the records consumed; a timeout warns', async () => {
  const out = await runTool('kafka-consumer-perf-test', ['--bootstrap-server', broker.bootstrap, '--topic', 'perf', '--messages', '20000']);
  expect(out).toMatchObject({ code: 0 });
  const [header, row, ...rest] = out.stdout.trimEnd().split('\n');
  expect(header).toBe(HEADER);
  expect(row).toMatch(ROW);
  expect(ROW.exec(row)![1]).toBe('20000');
  expect(rest).toEqual([]);

  const short = await runTool('kafka-consumer-perf-test', ['--bootstrap-server', broker.bootstrap, '--topic', 'perf', '--messages', '30000', '--timeout', '1000', '--hide-header']);
  const lines = short.stdout.trimEnd().split('\n');
  expect(lines[0]).toBe('WARNING: Exiting before consuming the expected number of messages: timeout (1000 ms) exceeded. You can use the --timeout option to increase the timeout.');
  expect(lines[1]).toMatch(ROW);
  expect(ROW.exec(lines[1])![1]).toBe('20000');
});

test('consumer perf: detailed stats print the other header and interval rows', async () => {
  const out = await runTool('kafka-consumer-perf-test', ['--bootstrap-server', broker.bootstrap, '--topic', 'throttled', '--messages', '6000', '--show-detailed-stats', '--reporting-interval', '1', '--fetch-size', '10000']);
  const [header, ...rows] = out.stdout.trimEnd().split('\n');
  expect(header).toBe('time, threadId, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec');
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) expect(r).toMatch(new RegExp(`^${DATE}, 0, \\d+\\.\\d{4}, \\d+\\.\\d{4}, \\d+, \\d+\\.\\d{4}, \\d+, -?\\d+, -?\\d+\\.\\d{4}, -?\\d+\\.\\d{4}$`));
});

test('perf usage errors', async () => {
  const noProps = await runTool('kafka-producer-perf-test', ['--topic', 't', '--num-records', '1', '--record-size', '1', '--throughput', '-1']);
  expect(noProps.code).toBe(1);
  expect(noProps.stderr).toMatch(/^Either --producer-props or --producer.config must be specified\.\n/);
  const noMessages = await runTool('kafka-consumer-perf-test', ['--bootstrap-server', broker.bootstrap, '--topic', 't']);
  expect(noMessages.stderr).toMatch(/^Missing required argument "\[messages\]"\n/);
});
