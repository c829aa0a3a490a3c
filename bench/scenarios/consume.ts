// Catch-up consumption: data produced beforehand is read from the start as fast as the server
// serves it. kafka-ts is restarted (clean shutdown) after loading, so a fresh process reads its log
// from disk (the OS page cache stays warm). The C mock keeps at most 5 MiB per partition, so the
// data is spread over partitions of 4 MiB on both servers.

import { alternate, startLineup } from '../compare';
import { consumeLoad } from '../load/consume';
import { produceLoad } from '../load/produce';
import { EARLIEST, LATEST, listOffsets } from '../net/admin';
import { openConnection } from '../net/connection';
import { negotiate } from '../negotiate';
import { rowOf } from '../report';
import { KafkaTs } from '../servers/kafka-ts';
import { Server } from '../servers/server';
import { Settings } from '../settings';
import { Scenario, sizeLabel, timeoutFor } from './scenario';

const MIB_PER_PARTITION = 4;
const TOPIC = 'catch-up';

async function offsets(server: Server, version: number, partitions: number): Promise<{ from: number[]; to: number[] }> {
  const conn = await openConnection(server.host, server.port);
  try {
    return { from: await listOffsets(conn, version, TOPIC, partitions, EARLIEST), to: await listOffsets(conn, version, TOPIC, partitions, LATEST) };
  } finally {
    conn.close();
  }
}

export function consumeScenario(s: Settings): Scenario {
  const c = s.consume;
  const partitions = Math.ceil(c.totalMiB / MIB_PER_PARTITION);
  const name = `consume ${c.totalMiB} MiB ${sizeLabel(c.recordBytes)} ${partitions}p`;
  return {
    name,
    async run() {
      const lineup = await startLineup(['kafka-ts', 'mock']);
      try {
        const versions = await negotiate(lineup.servers);
        for (const [i, server] of lineup.servers.entries()) {
          await server.createTopic(TOPIC, partitions);
          await produceLoad(server, {
            ...s.produce,
            topic: TOPIC,
            partitions,
            recordBytes: c.recordBytes,
            batchBytes: c.batchBytes,
            acks: 1,
            produceVersion: versions.produce,
            totalBytes: c.totalMiB * 1024 * 1024,
          });
          if (server instanceof KafkaTs) {
            await server.stop({ remove: false });
            lineup.servers[i] = await KafkaTs.start({ dir: server.dir });
          }
        }
        const ranges = new Map<Server, { from: number[]; to: number[] }>();
        for (const server of lineup.servers) ranges.set(server, await offsets(server, versions.listOffsets, partitions));
        const outcomes = await alternate(lineup, s.rounds, timeoutFor(0), (server) =>
          consumeLoad(server, { topic: TOPIC, recordBytes: c.recordBytes, fetchVersion: versions.fetch, ...ranges.get(server)! }),
        );
        return [
          rowOf(name, 'MB/s', outcomes, (t) => t.mbPerSec, { minRatio: { mock: 1 } }),
          rowOf(name, 'records/s', outcomes, (t) => t.recordsPerSec),
        ];
      } finally {
        await lineup.stop();
      }
    },
  };
}
