// The produce load generator: batches are encoded once, before the clock starts, into one Produce
// request body per partition; the load then only stamps a header on them and pipelines them over
// several connections, `inFlight` outstanding per connection, partitions taken in turn.

import { performance } from 'node:perf_hooks';
import { Produce, Reader, Writer, codecFor } from '../../protocol';
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

export async function produceLoad(server: Endpoint, o: ProduceOptions): Promise<Throughput> {
  const batchRecords = recordsPerBatch(o.batchBytes, o.recordBytes);
  const bodies = encodeBodies(o, randomBatch(batchRecords, o.recordBytes));
  const conns = await Promise.all(Array.from({ length: o.connections }, () => openConnection(server.host, server.port)));
  const latency = new LatencyRecorder();
  const timed = o.totalBytes === undefined;
  const totalBatches = timed ? Infinity : Math.ceil(o.totalBytes! / (batchRecords * o.recordBytes));
  const start = performance.now();
  const measureFrom = timed ? start + (o.warmupMs ?? 0) : start;
  const stopAt = timed ? measureFrom + (o.durationMs ?? 0) : Infinity;
  let sent = 0;
  let measuredBatches = 0;
  let lastAck = start;

  // One lane keeps one request outstanding; `inFlight` lanes share each connection.
  const lane = async (conn: KafkaConnection) => {
    while (sent < totalBatches && performance.now() < stopAt) {
      const body = bodies[sent++ % bodies.length];
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
    await Promise.all(conns.flatMap((conn) => Array.from({ length: o.inFlight }, () => lane(conn))));
  } finally {
    for (const conn of conns) conn.close();
  }
  const seconds = timed ? (o.durationMs ?? 0) / 1000 : (lastAck - start) / 1000;
  return throughput(seconds, measuredBatches * batchRecords, o.recordBytes, latency.percentiles());
}
