// Memory of a fresh process: resident when idle, and the peak (VmHWM) while a fixed amount is
// produced to it. The null sink shows what Node itself takes under the same traffic.

import { setTimeout as sleep } from 'node:timers/promises';
import { alternateFresh } from '../compare';
import { produceLoad } from '../load/produce';
import { readMemory } from '../measure/memory';
import { negotiate } from '../negotiate';
import { rowOf } from '../report';
import { Settings } from '../settings';
import { Scenario, timeoutFor } from './scenario';

const SETTLE_MS = 1_000;
const PARTITIONS = 8;
const RECORD_BYTES = 1024;

export function memoryScenario(s: Settings): Scenario {
  const mib = s.memory.produceMiB;
  const name = `memory, ${mib} MiB produced`;
  return {
    name,
    async run() {
      const outcomes = await alternateFresh(['kafka-ts', 'null-sink'], s.rounds, timeoutFor(0), async (server) => {
        await sleep(SETTLE_MS);
        const idle = readMemory(server.pid).rssMiB;
        await server.createTopic('memory', PARTITIONS);
        const { produce } = await negotiate([server]);
        await produceLoad(server, {
          ...s.produce,
          topic: 'memory',
          partitions: PARTITIONS,
          recordBytes: RECORD_BYTES,
          acks: 1,
          produceVersion: produce,
          totalBytes: mib * 1024 * 1024,
        });
        return { idle, peak: readMemory(server.pid).peakMiB };
      });
      return [
        rowOf(name, 'idle RSS MiB', outcomes, (m) => m.idle),
        rowOf(name, 'peak RSS MiB', outcomes, (m) => m.peak, { max: 256 }),
      ];
    },
  };
}
