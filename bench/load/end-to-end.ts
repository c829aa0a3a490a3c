// End-to-end latency: a producer sends records at a fixed rate, each value stamped with its send
// time, and a consumer on another connection fetches them; latency is fetch arrival minus send time,
// per record. Every millisecond the producer sends what is due as one batch (10 records a batch at
// 10,000 records/s), much as a client with linger.ms=1 would.

import { performance } from 'node:perf_hooks';
import { Fetch, Produce, Writer, codecFor } from '../../protocol';
import { buildBatch, decodeBatch } from '../../protocol/records';
import { openConnection } from '../net/connection';
import { LatencyRecorder, Percentiles } from '../measure/latency';
import { Endpoint } from './produce';

export interface EndToEndOptions {
  topic: string;
  recordBytes: number;
  recordsPerSec: number;
  warmupMs: number;
  durationMs: number;
  produceVersion: number;
  fetchVersion: number;
  /** Fetch max wait: long polls where the server wakes on new data, 0 (busy polling) otherwise. */
  maxWaitMs: number;
}

export interface EndToEndResult {
  latency: Percentiles;
}

const TICK_MS = 1;
const DRAIN_MS = 10_000;

function produceBody(o: EndToEndOptions, count: number, sentAt: number): Buffer {
  const records = Array.from({ length: count }, () => {
    const value = Buffer.alloc(Math.max(8, o.recordBytes));
    value.writeDoubleLE(sentAt, 0);
    return { key: null, value };
  });
  const w = new Writer();
  codecFor(Produce, o.produceVersion).request.encode(w, {
    transactionalId: null,
    acks: 1,
    timeoutMs: 30_000,
    topicData: [{ name: o.topic, partitionData: [{ index: 0, records: buildBatch(records) }] }],
  });
  return w.toBuffer();
}

export async function endToEndLoad(server: Endpoint, o: EndToEndOptions): Promise<EndToEndResult> {
  const producer = await openConnection(server.host, server.port);
  const consumer = await openConnection(server.host, server.port);
  const latency = new LatencyRecorder();
  const start = performance.now();
  const measureFrom = start + o.warmupMs;
  const stopAt = measureFrom + o.durationMs;
  let sent = 0;
  let received = 0;
  let producing = true;
  let failure: Error | null = null;

  const produced = new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.floor((Math.min(now, stopAt) - start) * (o.recordsPerSec / 1000)) - sent;
      if (due > 0) {
        sent += due;
        producer.send(Produce.apiKey, o.produceVersion, produceBody(o, due, performance.now())).catch((err) => (failure ??= err));
      }
      if (now < stopAt && !failure) {
        setTimeout(tick, TICK_MS);
      } else {
        producing = false;
        resolve();
      }
    };
    tick();
  });

  const consumed = (async () => {
    let offset = 0n;
    while (!failure && (producing || received < sent) && performance.now() < stopAt + DRAIN_MS) {
      const res = await consumer.request(Fetch, o.fetchVersion, {
        replicaId: -1,
        maxWaitMs: o.maxWaitMs,
        minBytes: 1,
        maxBytes: 1024 * 1024,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [{ topic: o.topic, partitions: [{ partition: 0, fetchOffset: offset, partitionMaxBytes: 1024 * 1024 }] }],
        forgottenTopicsData: [],
        rackId: '',
      });
      const arrivedAt = performance.now();
      const p = res.responses[0]?.partitions[0];
      if (!p || p.errorCode !== 0) throw new Error(`Fetch failed with error ${p?.errorCode}`);
      const records = p.records;
      for (let pos = 0; records && pos + 12 <= records.length; ) {
        const size = 12 + records.readInt32BE(pos + 8);
        if (pos + size > records.length) break;
        for (const r of decodeBatch(records, pos).records) {
          const sentAt = r.value!.readDoubleLE(0);
          if (sentAt >= measureFrom) latency.recordMs(arrivedAt - sentAt);
          offset = BigInt(r.offset + 1);
          received++;
        }
        pos += size;
      }
    }
  })();

  try {
    await Promise.all([produced, consumed]);
  } finally {
    producer.close();
    consumer.close();
  }
  if (failure) throw failure;
  if (received < sent) throw new Error(`consumer received ${received} of ${sent} records`);
  return { latency: latency.percentiles() };
}
