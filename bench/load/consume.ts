// The catch-up consumer: one Fetch at a time for every unfinished partition (as a Kafka consumer
// does with one broker), each as large as Kafka's consumer defaults allow, until every partition
// has been read from `from` to `to`.

import { performance } from 'node:perf_hooks';
import { Fetch } from '../../protocol';
import { openConnection } from '../net/connection';
import { spanBatches } from './batches';
import { Endpoint } from './produce';
import { Throughput, throughput } from './throughput';

export interface ConsumeOptions {
  topic: string;
  recordBytes: number;
  fetchVersion: number;
  from: number[];
  to: number[];
  /** fetch.max.bytes and max.partition.fetch.bytes of Kafka's consumer. */
  maxBytes?: number;
  partitionMaxBytes?: number;
  /** Longest stretch without progress before giving up. */
  stallMs?: number;
}

export async function consumeLoad(server: Endpoint, o: ConsumeOptions): Promise<Throughput> {
  const conn = await openConnection(server.host, server.port);
  const next = [...o.from];
  let records = 0;
  let lastProgress = performance.now();
  const start = lastProgress;
  try {
    for (;;) {
      const partitions = next.flatMap((offset, partition) => (offset < o.to[partition] ? [{ partition, offset }] : []));
      if (partitions.length === 0) break;
      const res = await conn.request(Fetch, o.fetchVersion, {
        replicaId: -1,
        maxWaitMs: 500,
        minBytes: 1,
        maxBytes: o.maxBytes ?? 50 * 1024 * 1024,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [
          {
            topic: o.topic,
            partitions: partitions.map(({ partition, offset }) => ({
              partition,
              fetchOffset: BigInt(offset),
              partitionMaxBytes: o.partitionMaxBytes ?? 1024 * 1024,
            })),
          },
        ],
        forgottenTopicsData: [],
        rackId: '',
      });
      if (res.errorCode) throw new Error(`Fetch failed with error ${res.errorCode}`);
      for (const topic of res.responses) {
        for (const p of topic.partitions) {
          if (p.errorCode !== 0) throw new Error(`Fetch ${o.topic}-${p.partitionIndex} failed with error ${p.errorCode}`);
          const span = spanBatches(p.records);
          if (span.nextOffset < 0) continue;
          records += span.records;
          next[p.partitionIndex] = span.nextOffset;
          lastProgress = performance.now();
        }
      }
      if (performance.now() - lastProgress > (o.stallMs ?? 10_000)) throw new Error('consumer made no progress');
    }
  } finally {
    conn.close();
  }
  return throughput((performance.now() - start) / 1000, records, o.recordBytes);
}
