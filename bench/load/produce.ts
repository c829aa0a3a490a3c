// The produce load generator: batches are encoded once, before the clock starts, into one Produce
// request body per partition; the load then only stamps a header on them and pipelines them over
// several connections, `inFlight` outstanding per connection, partitions taken in turn. An
// idempotent load asks for a producer id first and, like an idempotent producer, keeps each
// partition on one connection and sends each batch with the partition's next sequence (a copy of
// the body with the sequence and CRC stamped in).

import { performance } from 'node:perf_hooks';
import { InitProducerId, Produce, Reader, Writer, codecFor } from '../../protocol';
import { crc32c } from '../../protocol/records';
import { KafkaConnection } from '../../src/client/kafka-connection';
import { openConnection } from '../net/connection';
import { LatencyRecorder } from '../measure/latency';
import { randomBatch, recordsPerBatch } from './records';
import { Throughput, throughput } from './throughput';

export interface ProduceOptions {
  topic: string;
  partitions: number;
  recordBytes: number;
  /** Bytes of records per batch, like the producer's batch.size. */
  batchBytes: number;
  acks: 1 | -1;
  connections: number;
  /** Requests outstanding per connection (max.in.flight.requests.per.connection). */
  inFlight: number;
  produceVersion: number;
  /** Batches carry a producer id from InitProducerId and consecutive sequences per partition. */
  idempotent?: boolean;
  /** Timed run: load for warmupMs + durationMs, measure the last durationMs. */
  warmupMs?: number;
  durationMs?: number;
  /** Or send this many record bytes (at least), timed from start to the last acknowledgement. */
  totalBytes?: number;
}

export interface Endpoint {
  host: string;
  port: number;
}

function encodeBodies(o: ProduceOptions, batch: Buffer): Buffer[] {
  const codec = codecFor(Produce, o.produceVersion);
  return Array.from({ length: o.partitions }, (_, partition) => {
    const w = new Writer(batch.length + 128);
    codec.request.encode(w, {
      transactionalId: null,
      acks: o.acks,
      timeoutMs: 30_000,
      topicData: [{ name: o.topic, partitionData: [{ index: partition, records: batch }] }],
    });
    return w.toBuffer();
  });
}

function checkResponse(version: number, body: Reader): void {
  const res = codecFor(Produce, version).response.decode(body);
  for (const topic of res.responses) {
    for (const p of topic.partitionResponses) {
      if (p.errorCode !== 0) throw new Error(`Produce to ${topic.name}-${p.index} failed with error ${p.errorCode}`);
    }
  }
}

// Offsets in a v2 batch header (Kafka's DefaultRecordBatch).
const CRC = 17;
const ATTRIBUTES = 21;
const PRODUCER_ID = 43;
const PRODUCER_EPOCH = 51;
const BASE_SEQUENCE = 53;

async function initProducer(conn: KafkaConnection, batch: Buffer): Promise<void> {
  const res = await conn.request(InitProducerId, 0, { transactionalId: null, transactionTimeoutMs: 60_000 });
  if (res.errorCode !== 0) throw new Error(`InitProducerId failed with error ${res.errorCode}`);
  batch.writeBigInt64BE(res.producerId, PRODUCER_ID);
  batch.writeInt16BE(res.producerEpoch, PRODUCER_EPOCH);
}

/** Where each body's batch starts, to stamp sequences into copies of it. */
function batchOffsets(bodies: Buffer[], batch: Buffer): number[] {
  return bodies.map((body) => body.indexOf(batch.subarray(0, PRODUCER_ID + 8)));
}

/** A copy of `body` whose batch at `at` has `sequence` and a CRC to match. */
function withSequence(body: Buffer, at: number, sequence: number): Buffer {
  const copy = Buffer.from(body);
  copy.writeInt32BE(sequence, at + BASE_SEQUENCE);
  const batchEnd = at + 12 + copy.readInt32BE(at + 8);
  copy.writeUInt32BE(crc32c(copy, at + ATTRIBUTES, batchEnd), at + CRC);
  return copy;
}

export async function produceLoad(server: Endpoint, o: ProduceOptions): Promise<Throughput> {
  const batchRecords = recordsPerBatch(o.batchBytes, o.recordBytes);
  const batch = randomBatch(batchRecords, o.recordBytes);
  // An idempotent producer keeps a partition's batches in order on one connection.
  const connections = o.idempotent ? Math.min(o.connections, o.partitions) : o.connections;
  const conns = await Promise.all(Array.from({ length: connections }, () => openConnection(server.host, server.port)));
  if (o.idempotent) await initProducer(conns[0], batch);
  const bodies = encodeBodies(o, batch);
  const offsets = o.idempotent ? batchOffsets(bodies, batch) : [];
  const sequences = bodies.map(() => 0);
  const latency = new LatencyRecorder();
  const timed = o.totalBytes === undefined;
  const totalBatches = timed ? Infinity : Math.ceil(o.totalBytes! / (batchRecords * o.recordBytes));
  const start = performance.now();
  const measureFrom = timed ? start + (o.warmupMs ?? 0) : start;
  const stopAt = timed ? measureFrom + (o.durationMs ?? 0) : Infinity;
  let sent = 0;
  let measuredBatches = 0;
  let lastAck = start;

  // Idempotent: connection c takes partitions c, c + connections, ... in turn.
  const turns = conns.map(() => 0);
  const nextBody = (c: number): Buffer => {
    if (!o.idempotent) return bodies[sent++ % bodies.length];
    sent++;
    const mine = Math.ceil((bodies.length - c) / connections);
    const p = c + connections * (turns[c]++ % mine);
    const body = withSequence(bodies[p], offsets[p], sequences[p]);
    sequences[p] += batchRecords;
    return body;
  };

  // One lane keeps one request outstanding; `inFlight` lanes share each connection.
  const lane = async (conn: KafkaConnection, c: number) => {
    while (sent < totalBatches && performance.now() < stopAt) {
      const body = nextBody(c);
      const sentAt = performance.now();
      checkResponse(o.produceVersion, await conn.send(Produce.apiKey, o.produceVersion, body));
      const ackedAt = performance.now();
      if (ackedAt >= measureFrom && ackedAt <= stopAt) {
        measuredBatches++;
        if (sentAt >= measureFrom) latency.recordMs(ackedAt - sentAt);
      }
      lastAck = ackedAt;
    }
  };
  try {
    await Promise.all(conns.flatMap((conn, c) => Array.from({ length: o.inFlight }, () => lane(conn, c))));
  } finally {
    for (const conn of conns) conn.close();
  }
  const seconds = timed ? (o.durationMs ?? 0) / 1000 : (lastAck - start) / 1000;
  return throughput(seconds, measuredBatches * batchRecords, o.recordBytes, latency.percentiles());
}
