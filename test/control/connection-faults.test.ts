// Connection faults on a real in-process broker, seen by kafkajs and by raw sockets: a connection
// dropped after a produce was appended makes a non-idempotent retry append it twice (and an
// idempotent one once); a black hole leaves requests unanswered until removed; refused connections
// are reset until removed.

import { Socket, connect } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaCluster, startKafka } from '../../src/embedded/start-kafka';
import { waitFor } from '../helpers/wait';

let cluster: KafkaCluster;

beforeAll(async () => {
  cluster = await startKafka({ brokers: 1 });
});

afterAll(async () => {
  await cluster?.stop();
});

afterEach(() => cluster.brokers[0].faults.clear());

function kafka(requestTimeout = 30_000, retries = 5): Kafka {
  return new Kafka({ clientId: 'connection-faults-test', brokers: [cluster.brokers[0].bootstrapServer], logLevel: logLevel.NOTHING, requestTimeout, retry: { retries, initialRetryTime: 50 } });
}

async function values(topic: string): Promise<string[]> {
  return (await cluster.admin.consume(topic)).map((r) => r.value!.toString());
}

/** A raw connection, collecting the correlation ids of the responses it gets and how it ended. */
class RawConnection {
  readonly answered: number[] = [];
  ended: string | null = null;
  private buffered = Buffer.alloc(0);

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => this.read(chunk));
    socket.on('error', (err: NodeJS.ErrnoException) => (this.ended ??= err.code ?? err.message));
    socket.on('close', () => (this.ended ??= 'closed'));
  }

  static open(): RawConnection {
    return new RawConnection(connect(cluster.brokers[0].port, '127.0.0.1'));
  }

  /** ApiVersions v0: header (key 18, version 0, correlation id, null client id), empty body. */
  apiVersions(correlationId: number): void {
    const frame = Buffer.alloc(14);
    frame.writeInt32BE(10, 0);
    frame.writeInt16BE(18, 4);
    frame.writeInt16BE(0, 6);
    frame.writeInt32BE(correlationId, 8);
    frame.writeInt16BE(-1, 12);
    this.socket.write(frame);
  }

  private read(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 4 && this.buffered.length >= 4 + this.buffered.readInt32BE(0)) {
      this.answered.push(this.buffered.readInt32BE(4));
      this.buffered = this.buffered.subarray(4 + this.buffered.readInt32BE(0));
    }
  }
}

it('appends a produce whose connection dropped after it was handled twice when kafkajs retries it, once when idempotent', async () => {
  await cluster.admin.createTopic('dropped-after', { partitions: 1, replicationFactor: 1 });
  await cluster.admin.createTopic('dropped-after-idempotent', { partitions: 1, replicationFactor: 1 });
  const faults = cluster.brokers[0].faults;

  const plain = kafka().producer();
  await plain.connect();
  const drop = faults.inject({ kind: 'drop-connection', when: 'after', apiKey: 0, topic: 'dropped-after', count: 1 });
  await plain.send({ topic: 'dropped-after', acks: -1, messages: [{ value: 'paid' }] });
  await plain.disconnect();
  expect(drop.fired).toBe(1);
  expect(await values('dropped-after')).toEqual(['paid', 'paid']);

  const idempotent = kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
  await idempotent.connect();
  const dropIdempotent = faults.inject({ kind: 'drop-connection', when: 'after', apiKey: 0, topic: 'dropped-after-idempotent', count: 1 });
  await idempotent.send({ topic: 'dropped-after-idempotent', acks: -1, messages: [{ value: 'paid' }] });
  await idempotent.disconnect();
  expect(dropIdempotent.fired).toBe(1);
  expect(await values('dropped-after-idempotent')).toEqual(['paid']);
});

it('appends a produce whose connection dropped before it was handled once, on the retry', async () => {
  await cluster.admin.createTopic('dropped-before', { partitions: 1, replicationFactor: 1 });
  const producer = kafka().producer();
  await producer.connect();
  const drop = cluster.brokers[0].faults.inject({ kind: 'drop-connection', when: 'before', apiKey: 0, topic: 'dropped-before', count: 2 });
  await producer.send({ topic: 'dropped-before', acks: -1, messages: [{ value: 'paid' }] });
  await producer.disconnect();
  expect(drop.fired).toBe(2);
  expect(drop.remaining).toBe(0);
  expect(await values('dropped-before')).toEqual(['paid']);
});

it('answers nothing inside a black hole, keeps the connections open, and answers again once it is removed', async () => {
  await cluster.admin.createTopic('dark', { partitions: 1, replicationFactor: 1 });
  const producer = kafka(1_000, 0).producer();
  await producer.connect();
  const existing = RawConnection.open();
  existing.apiVersions(1);
  await waitFor(() => existing.answered.length === 1, 'the answer before the black hole');

  const hole = cluster.brokers[0].faults.inject({ kind: 'black-hole' });
  await expect(producer.send({ topic: 'dark', acks: -1, messages: [{ value: 'lost' }] })).rejects.toThrow(/timed out/i);
  const fresh = RawConnection.open();
  fresh.apiVersions(2);
  existing.apiVersions(3);
  await waitFor(() => hole.fired >= 3, 'both raw requests swallowed');
  expect([existing.answered, fresh.answered, existing.ended, fresh.ended]).toEqual([[1], [], null, null]);

  expect(cluster.brokers[0].faults.remove(hole.id)).toBe(true);
  fresh.apiVersions(4);
  existing.apiVersions(5);
  await waitFor(() => fresh.answered.length === 1 && existing.answered.length === 2, 'answers after the black hole');
  expect([existing.answered, fresh.answered]).toEqual([[1, 5], [4]]);
  await producer.send({ topic: 'dark', acks: -1, messages: [{ value: 'through' }] });
  await producer.disconnect();
  expect(await values('dark')).toEqual(['through']);
  existing.socket.destroy();
  fresh.socket.destroy();
});

it('refuses new connections, leaves open ones alone, and accepts again once removed', async () => {
  const open = RawConnection.open();
  open.apiVersions(1);
  await waitFor(() => open.answered.length === 1, 'the answer before the refusal');

  const refusal = cluster.brokers[0].faults.inject({ kind: 'refuse-connections' });
  const refused = [RawConnection.open(), RawConnection.open()];
  for (const r of refused) r.apiVersions(7);
  await waitFor(() => refused.every((r) => r.ended !== null), 'both connections refused');
  // Reset as it was accepted: the request written meanwhile fails on its read or its write.
  for (const r of refused) expect([r.answered, ['ECONNRESET', 'EPIPE'].includes(r.ended!)]).toEqual([[], true]);
  expect(refusal.fired).toBe(2);
  open.apiVersions(2);
  await waitFor(() => open.answered.length === 2, 'the open connection still answered');

  cluster.brokers[0].faults.remove(refusal.id);
  const accepted = RawConnection.open();
  accepted.apiVersions(3);
  await waitFor(() => accepted.answered.length === 1, 'a new connection answered');
  expect([accepted.answered, accepted.ended, refusal.fired]).toEqual([[3], null, 2]);
  open.socket.destroy();
  accepted.socket.destroy();
});

it('holds a refused connection unanswered for the fault\'s delay before resetting it', async () => {
  const refusal = cluster.brokers[0].faults.inject({ kind: 'refuse-connections', delayMs: 300, count: 1 });
  const opened = performance.now();
  const held = RawConnection.open();
  held.apiVersions(1);
  await waitFor(() => held.ended !== null, 'the held connection reset');
  expect(performance.now() - opened).toBeGreaterThanOrEqual(290);
  expect([held.ended, held.answered, refusal.fired, cluster.brokers[0].faults.list()]).toEqual(['ECONNRESET', [], 1, []]);
});
