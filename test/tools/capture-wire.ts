// Regenerates test/fixtures/wire/: request frames exactly as real clients (kcat/librdkafka, kafkajs)
// send them, recorded by a TCP proxy in front of a kafka-ts broker. One file per client, API and
// version: `<client>/<api-key>-<name>-v<version>.hex`. The broker advertises the proxy's address, so
// every connection a client opens goes through it. Run after building:
//   node dist/test/tools/capture-wire.js

import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { AddressInfo, Server, Socket, connect, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { API_BY_KEY } from '../../protocol';
import { cleanup, startBroker } from '../helpers/broker-process';
import { fetchAll } from '../helpers/kafkajs-fetch';

const OUT = resolve(__dirname, '../../../test/fixtures/wire');

const run = promisify(execFile);

/** Proxies to the broker and records the first request frame seen for each (api, version) of a client. */
class RecordingProxy {
  frames = new Map<string, Buffer>();
  brokerPort = 0;
  private server!: Server;

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async listen(): Promise<void> {
    this.server = createServer((client) => this.pipe(client));
    await new Promise<void>((res) => this.server.listen(0, '127.0.0.1', res));
  }

  close(): void {
    this.server.close();
  }

  private pipe(client: Socket): void {
    const frames = this.frames;
    const upstream = connect({ host: '127.0.0.1', port: this.brokerPort });
    let pending = Buffer.alloc(0);
    client.on('data', (d) => {
      upstream.write(d);
      pending = Buffer.concat([pending, d]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const frame = pending.subarray(4, 4 + pending.readInt32BE(0));
        pending = pending.subarray(4 + frame.length);
        const key = `${frame.readInt16BE(0)}:${frame.readInt16BE(2)}`;
        if (!frames.has(key)) frames.set(key, Buffer.from(frame));
      }
    });
    upstream.on('data', (d) => client.write(d));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  }
}

function save(client: string, frames: Map<string, Buffer>): void {
  const dir = join(OUT, client);
  mkdirSync(dir, { recursive: true });
  for (const [key, frame] of frames) {
    const [apiKey, version] = key.split(':').map(Number);
    const name = API_BY_KEY.get(apiKey)?.name ?? 'Unknown';
    writeFileSync(join(dir, `${String(apiKey).padStart(2, '0')}-${name}-v${version}.hex`), frame.toString('hex') + '\n');
  }
  console.log(`${client}: ${frames.size} request frames`);
}

async function main(): Promise<void> {
  const proxy = new RecordingProxy();
  await proxy.listen();
  const broker = await startBroker({ props: { 'advertised.listeners': `PLAINTEXT://127.0.0.1:${proxy.port}` } });
  proxy.brokerPort = broker.port;
  const at = `127.0.0.1:${proxy.port}`;
  try {
    const kcat = (args: string[], input = '') => {
      const p = run('kcat', ['-b', at, ...args]);
      p.child.stdin!.end(input);
      return p;
    };
    await kcat(['-P', '-t', 'golden', '-K:', '-z', 'snappy'], 'a:1\nb:2\n');
    await kcat(['-C', '-t', 'golden', '-o', 'beginning', '-e', '-q']);
    await kcat(['-C', '-t', 'golden', '-o', 's@0', '-e', '-q']);
    await kcat(['-L']);
    save('kcat', proxy.frames);

    proxy.frames = new Map();
    const kafka = new Kafka({ brokers: [at], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'golden-js', numPartitions: 2 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'golden-js', messages: [{ key: 'k', value: 'v', headers: { h: '1' } }, { key: null, value: null }] });
    await producer.disconnect();
    await fetchAll(kafka, 'golden-js');
    await admin.fetchTopicOffsetsByTimestamp('golden-js', 0);
    await admin.deleteTopics({ topics: ['golden-js'] });
    await admin.disconnect();
    save('kafkajs', proxy.frames);
  } finally {
    proxy.close();
    await cleanup(broker);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
