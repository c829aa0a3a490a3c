// The console on its own (bin/kafka-console-ui.sh) and in the broker: the standalone tool logs
// where it serves, answers with the cluster and the throughput of its --metrics-url, stops on
// SIGTERM; bad options are usage errors; a broker whose console port is taken does not start and
// names the key. Also the transactions routes and a partition's active producers.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { BrokerProcess, cleanup, startBroker } from '../helpers/broker-process';
import { runTool } from '../helpers/run-tool';
import { ClusterClient } from '../../src/client/cluster-client';
import { ConsoleServer } from '../../src/console/console-server';
import { writeTransaction } from '../tools/clients-transaction';
import { call, get } from './console-helpers';
import { waitFor } from '../helpers/wait';

let broker: BrokerProcess;
let metricsUrl: string;

beforeAll(async () => {
  broker = await startBroker({ waitForStarted: true, props: { 'kafkats.metrics.listener': '127.0.0.1:0' } });
  metricsUrl = `${/Serving Prometheus metrics on (\S+)\./.exec(broker.output())![1]}`;
});

afterAll(async () => {
  await cleanup(broker);
});

test('kafka-console-ui serves a cluster with throughput from --metrics-url and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [resolve(__dirname, '../../src/cli/kafka-console-ui.js'), '--bootstrap-server', broker.bootstrap, '--listen', '127.0.0.1:0', '--metrics-url', metricsUrl], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  let out = '';
  const base = await new Promise<string>((done, fail) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^Serving the console on (http:\/\/127\.0\.0\.1:\d+\/)\.\n/.exec(out);
      if (m) done(m[1]);
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    void exited.then(() => fail(new Error(`kafka-console-ui exited:\n${out}`)));
  });
  try {
    expect((await get(base, '/api/cluster')).body).toMatchObject({ brokers: [{ id: 0, port: broker.port }] });
    const throughput = await get(base, '/api/throughput');
    expect(throughput.status).toBe(200);
    expect(throughput.body.brokers).toHaveLength(1);
    expect((await get(base, '/api/features')).body.throughput).toBe(true);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
});

test('bad options are usage errors', async () => {
  const run = await runTool('kafka-console-ui', ['--bootstrap-server', broker.bootstrap, '--listen', 'nowhere']);
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/^Invalid --listen nowhere: expected host:port\n/);
  const noServer = await runTool('kafka-console-ui', ['--listen', '127.0.0.1:0']);
  expect(noServer.stderr).toMatch(/^Missing required argument "\[bootstrap-server\]"/);
});

test('a broker whose console port is taken does not start, naming the key', async () => {
  const taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()));
  const port = (taken.address() as { port: number }).port;
  try {
    await expect(startBroker({ props: { 'kafkats.console.listener': `127.0.0.1:${port}` } })).rejects.toThrow(
      `Cannot serve the console on 127.0.0.1:${port} (kafkats.console.listener): the address is already in use`,
    );
  } finally {
    taken.close();
  }
});

test('transactions are listed and described; a partition lists its active producers', async () => {
  const server = await ConsoleServer.start({ host: '127.0.0.1', port: 0 }, { bootstrapServers: broker.bootstrap });
  try {
    expect((await call(server.url, 'POST', '/api/topics', { name: 'tx', partitions: 1, replicationFactor: 1 })).status).toBe(201);
    const client = await ClusterClient.connect({ bootstrapServers: broker.bootstrap });
    try {
      await writeTransaction(client, 'console-tx', 'tx', ['one'], true);
    } finally {
      client.close();
    }
    // EndTxn answers once the commit is prepared; the markers complete it a moment later.
    let list = await get(server.url, '/api/transactions');
    await waitFor(async () => (list = await get(server.url, '/api/transactions')).body[0]?.state === 'CompleteCommit', 'the transaction to complete');
    expect(list.body).toEqual([{ transactionalId: 'console-tx', state: 'CompleteCommit', producerId: expect.any(Number), coordinatorId: 0 }]);
    expect((await get(server.url, '/api/transactions/console-tx')).body).toMatchObject({ transactionalId: 'console-tx', state: 'CompleteCommit', coordinatorId: 0 });
    expect((await get(server.url, '/api/transactions/none')).status).toBe(404);
    const producers = await get(server.url, '/api/topics/tx/producers?partition=0');
    expect(producers.body).toEqual([expect.objectContaining({ partition: 0, producerId: list.body[0].producerId })]);
    expect((await get(server.url, '/api/throughput')).status).toBe(501);
  } finally {
    await server.close();
  }
});
