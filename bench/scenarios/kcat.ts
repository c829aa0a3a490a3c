// kcat producing a file of records to kafka-ts and to the C mock: the same client, written by
// neither side. The record count that arrived is checked from the partitions' end offsets.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alternate, startLineup } from '../compare';
import { kcatProduce, kcatVersion, writeRecordsFile } from '../load/kcat';
import { LATEST, listOffsets } from '../net/admin';
import { openConnection } from '../net/connection';
import { negotiate } from '../negotiate';
import { Row, rowOf } from '../report';
import { Settings } from '../settings';
import { Scenario, sizeLabel, timeoutFor } from './scenario';

export function kcatScenario(s: Settings): Scenario {
  const k = s.kcat;
  const name = `kcat -P ${k.records / 1e6}M × ${sizeLabel(k.recordBytes)} ${k.partitions}p`;
  return {
    name,
    async run(): Promise<Row[]> {
      if (kcatVersion() === null) throw new Error('kcat is not installed');
      const dir = mkdtempSync(join(tmpdir(), 'kafka-ts-bench-kcat-'));
      const file = join(dir, 'records.txt');
      writeRecordsFile(file, k.records, k.recordBytes);
      const lineup = await startLineup(['kafka-ts', 'mock']);
      try {
        const versions = await negotiate(lineup.servers);
        const outcomes = await alternate(lineup, s.rounds, timeoutFor(300_000), async (server, round) => {
          const topic = `kcat-${round}`;
          await server.createTopic(topic, k.partitions);
          const result = await kcatProduce(server, topic, file, k.records, k.recordBytes);
          const conn = await openConnection(server.host, server.port);
          try {
            const arrived = (await listOffsets(conn, versions.listOffsets, topic, k.partitions, LATEST)).reduce((a, b) => a + b, 0);
            if (arrived !== k.records) throw new Error(`${arrived} of ${k.records} records arrived`);
          } finally {
            conn.close();
          }
          return result;
        });
        return [
          rowOf(name, 'MB/s', outcomes, (t) => t.mbPerSec, { minRatio: { mock: 1 } }),
          rowOf(name, 'records/s', outcomes, (t) => t.recordsPerSec),
        ];
      } finally {
        await lineup.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
