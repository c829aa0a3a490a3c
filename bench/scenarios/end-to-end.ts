// End-to-end latency at a fixed rate, kafka-ts against the C mock. kafka-ts answers a waiting fetch
// as soon as data arrives, so its consumer long-polls (fetch.max.wait.ms=500, as Kafka's consumer);
// the mock sleeps the whole max wait on an empty fetch, so its consumer busy-polls (max wait 0),
// which is the mock's best case.

import { alternate, startLineup } from '../compare';
import { EndToEndResult, endToEndLoad } from '../load/end-to-end';
import { negotiate } from '../negotiate';
import { rowOf } from '../report';
import { Settings } from '../settings';
import { Scenario, sizeLabel, timeoutFor } from './scenario';

const LONG_POLL_MS = 500;

export function endToEndScenario(s: Settings): Scenario {
  const e = s.endToEnd;
  const name = `end-to-end ${e.recordsPerSec / 1000}k records/s ${sizeLabel(e.recordBytes)}`;
  return {
    name,
    async run() {
      const lineup = await startLineup(['kafka-ts', 'mock']);
      try {
        const versions = await negotiate(lineup.servers);
        const outcomes = await alternate(lineup, s.rounds, timeoutFor(e.warmupMs + e.durationMs), async (server, round) => {
          const topic = `e2e-${round}`;
          await server.createTopic(topic, 1);
          return endToEndLoad(server, {
            ...e,
            topic,
            produceVersion: versions.produce,
            fetchVersion: versions.fetch,
            maxWaitMs: server.longPoll ? LONG_POLL_MS : 0,
          });
        });
        const pick = (p: 'p50' | 'p99' | 'p999') => (r: EndToEndResult) => r.latency[p];
        return [
          rowOf(name, 'p50 ms', outcomes, pick('p50')),
          rowOf(name, 'p99 ms', outcomes, pick('p99')),
          rowOf(name, 'p999 ms', outcomes, pick('p999')),
        ];
      } finally {
        await lineup.stop();
      }
    },
  };
}
