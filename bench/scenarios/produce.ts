// Produce throughput and request latency against kafka-ts, the null sink and the C mock, with the
// same pre-encoded requests. Each round writes to a fresh topic.

import { alternate, startLineup } from '../compare';
import { produceLoad } from '../load/produce';
import { Throughput } from '../load/throughput';
import { negotiate } from '../negotiate';
import { rowOf } from '../report';
import { Settings } from '../settings';
import { Scenario, sizeLabel, timeoutFor } from './scenario';

export function produceScenario(recordBytes: number, partitions: number, acks: 1 | -1, idempotent = false): Scenario {
  const name = `produce ${sizeLabel(recordBytes)} acks=${acks === -1 ? 'all' : 1} ${partitions}p${idempotent ? ' idempotent' : ''}`;
  return {
    name,
    async run(s: Settings) {
      const lineup = await startLineup(['kafka-ts', 'null-sink', 'mock']);
      try {
        const versions = await negotiate(lineup.servers);
        const p = s.produce;
        const outcomes = await alternate(lineup, s.rounds, timeoutFor(p.warmupMs + p.durationMs), async (server, round) => {
          const topic = `produce-${round}`;
          await server.createTopic(topic, partitions);
          return produceLoad(server, { ...p, topic, partitions, recordBytes, acks, idempotent, produceVersion: versions.produce });
        });
        // Produce loads always measure request latency.
        const latency = (p: 'p50' | 'p99' | 'p999') => (t: Throughput) => t.latency![p];
        return [
          rowOf(name, 'MB/s', outcomes, (t) => t.mbPerSec, { minRatio: { mock: 1, 'null-sink': 0.7 } }),
          rowOf(name, 'records/s', outcomes, (t) => t.recordsPerSec),
          rowOf(name, 'p50 ms', outcomes, latency('p50')),
          rowOf(name, 'p99 ms', outcomes, latency('p99')),
          rowOf(name, 'p999 ms', outcomes, latency('p999')),
        ];
      } finally {
        await lineup.stop();
      }
    },
  };
}
