// librdkafka (node-rdkafka) against in-process clusters with a broker taken down and brought back.
// Three brokers, a topic with RF 3 and min.insync.replicas 2: an idempotent acks=all producer keeps
// producing while the partition leader is killed (as by kill -9) and after; every delivered record
// is consumed once, in order, none acknowledged is lost, and the killed broker, started again,
// catches up. One broker: with the broker down the producer's records wait in its queue, and are
// delivered once the broker is back on the same port. The clients run in their own process
// (test/helpers/rdkafka-client-process.ts), driven by JSON lines.

import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { useEmbeddedCluster } from '../helpers/embedded-cluster';
import type { RdkafkaCommand, RdkafkaEvent } from '../helpers/rdkafka-client-process';
import { waitFor } from '../helpers/wait';

/** librdkafka's message for RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN (node-rdkafka reports its code as -1). */
const ALL_BROKERS_DOWN = 'all broker connections are down';

/** The client process and what it reported so far. */
class RdkafkaClients {
  readonly delivered = new Map<string, { offset: number; at: number }>();
  readonly failed: { value: string; error: string }[] = [];
  readonly consumed: { value: string; offset: number }[] = [];
  readonly errors: string[] = [];
  private ready = false;
  private running = true;
  private readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => this.record(JSON.parse(line) as RdkafkaEvent));
    this.exited = new Promise((resolve) => child.once('exit', resolve));
    void this.exited.then(() => (this.running = false));
  }

  /** Waits for a condition on what the clients reported; fails at once if their process is gone. */
  until(condition: () => boolean, what: string, timeoutMs?: number): Promise<void> {
    return waitFor(() => {
      if (!this.running) throw new Error(`the librdkafka client process exited while waiting for ${what}`);
      return condition();
    }, what, timeoutMs);
  }

  static async start(bootstrap: string, topic: string): Promise<RdkafkaClients> {
    const child = spawn(process.execPath, [join(__dirname, '../helpers/rdkafka-client-process.js'), bootstrap, topic], { stdio: ['pipe', 'pipe', 'inherit'] });
    const clients = new RdkafkaClients(child);
    await clients.until(() => clients.ready, 'the librdkafka clients to connect');
    return clients;
  }

  produce(values: string[]): void {
    const command: RdkafkaCommand = { produce: values };
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  /** Waits for a delivery report (success or failure) of each of `values`. */
  async settled(values: string[]): Promise<void> {
    await this.until(() => values.every((v) => this.delivered.has(v) || this.failed.some((f) => f.value === v)), `${values.length} delivery reports`, 60_000);
  }

  /** Disconnects both clients and waits for the process to exit. */
  async close(): Promise<number | null> {
    this.child.stdin!.end();
    return this.exited;
  }

  private record(event: RdkafkaEvent): void {
    if ('ready' in event) this.ready = true;
    else if ('delivered' in event) this.delivered.set(event.delivered, { offset: event.offset, at: performance.now() });
    else if ('failed' in event) this.failed.push({ value: event.failed, error: event.error });
    else if ('consumed' in event) this.consumed.push({ value: event.consumed, offset: event.offset });
    else this.errors.push(event.message);
  }
}

const values = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

let clients: RdkafkaClients | undefined;

// Declared before the harness, so it runs first: the clients disconnect before the cluster goes.
afterEach(async () => {
  await clients?.close();
  clients = undefined;
});

const h = useEmbeddedCluster();

describe('three brokers, the partition leader killed', () => {
  it('delivers every record once and in order, loses none acknowledged, and the killed broker catches up', async () => {
    const cluster = await h.start();
    await cluster.admin.createTopic('rd-failover', { partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } });
    clients = await RdkafkaClients.start(cluster.bootstrapServers, 'rd-failover');
    const before = values('before', 100);
    clients.produce(before);
    await clients.settled(before);
    const leader = await cluster.admin.leader('rd-failover');

    // Records in flight as the leader dies, then records produced once it is gone.
    const during = values('during', 100);
    clients.produce(during);
    const killedAt = performance.now();
    await cluster.kill(leader);
    const after = values('after', 100);
    clients.produce(after);
    await clients.settled([...during, ...after]);
    const firstAfterKill = Math.min(...after.map((v) => clients!.delivered.get(v)?.at ?? Infinity));
    process.stdout.write(`librdkafka: kill to first acks=all delivery on the new leader: ${(firstAfterKill - killedAt).toFixed(0)} ms\n`);
    const newLeader = await cluster.admin.leader('rd-failover');
    expect(newLeader).not.toBe(leader);
    expect(newLeader).toBeGreaterThanOrEqual(0);

    await cluster.start(leader);
    const back = values('back', 100);
    clients.produce(back);
    await clients.settled(back);

    const produced = [...before, ...during, ...after, ...back];
    expect(clients.failed).toEqual([]);
    // Idempotent: each record at its own offset, in the order produced, none twice.
    expect(produced.map((v) => clients!.delivered.get(v)!.offset)).toEqual(produced.map((_, i) => i));
    await clients.until(() => clients!.consumed.length >= produced.length, `the consumer to read ${produced.length} records`);
    expect(clients.consumed).toEqual(produced.map((value, offset) => ({ value, offset })));

    const restarted = cluster.brokers[leader].broker!;
    await waitFor(() => restarted.logs.get('rd-failover', 0)?.logEndOffset === produced.length, 'the restarted broker to catch up');
    await waitFor(() => restarted.topics.get('rd-failover')?.partitions[0].isr.includes(leader) === true, 'the restarted broker to rejoin the ISR');
  }, 120_000);
});

describe('one broker, down and back', () => {
  it('queues the producer records while the broker is down and delivers them once it is back on its port', async () => {
    const cluster = await h.start({}, 1);
    await cluster.admin.createTopic('rd-outage', { partitions: 1, replicationFactor: 1 });
    const port = cluster.brokers[0].port;
    clients = await RdkafkaClients.start(cluster.bootstrapServers, 'rd-outage');
    const up = values('up', 10);
    clients.produce(up);
    await clients.settled(up);

    await cluster.kill(0);
    await clients.until(() => clients!.errors.includes(ALL_BROKERS_DOWN), 'librdkafka to see the broker down');
    const down = values('down', 10);
    clients.produce(down);
    // The producer has them queued; nothing can have acknowledged them.
    expect(down.filter((v) => clients!.delivered.has(v))).toEqual([]);

    await cluster.start(0);
    expect(cluster.brokers[0].port).toBe(port);
    await clients.settled(down);
    expect(clients.failed).toEqual([]);
    const produced = [...up, ...down];
    expect(produced.map((v) => clients!.delivered.get(v)!.offset)).toEqual(produced.map((_, i) => i));
    await clients.until(() => clients!.consumed.length >= produced.length, `the consumer to read ${produced.length} records`);
    expect(clients.consumed).toEqual(produced.map((value, offset) => ({ value, offset })));
  }, 120_000);
});
