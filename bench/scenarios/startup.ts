// Startup time to accepting connections with many partitions on disk, after a clean shutdown and
// after kill -9 (which leaves the logs to recover), and idle memory with those partitions loaded.
// The baseline is the null sink: a Node process that does nothing but listen, the floor of any
// broker written in Node. Runs of the two alternate.

import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Outcome } from '../compare';
import { produceLoad } from '../load/produce';
import { readMemory } from '../measure/memory';
import { negotiate } from '../negotiate';
import { Row, rowOf } from '../report';
import { KafkaTs } from '../servers/kafka-ts';
import { NullSink } from '../servers/null-sink';
import { ServerKind } from '../servers/server';
import { Settings } from '../settings';
import { Scenario } from './scenario';

const TOPIC = 'startup';
const SETTLE_MS = 1_000;

interface Start {
  readyMs: number;
  idleMiB: number;
}

/** One small batch to every partition, so each has a segment and indexes to open. */
async function touchEveryPartition(broker: KafkaTs, s: Settings, partitions: number, produceVersion: number): Promise<void> {
  const batchBytes = 1024;
  await produceLoad(broker, { ...s.produce, topic: TOPIC, partitions, recordBytes: 100, batchBytes, acks: 1, produceVersion, totalBytes: partitions * batchBytes });
}

async function nullSinkStart(): Promise<Start> {
  const sink = await NullSink.start();
  try {
    await sleep(SETTLE_MS);
    return { readyMs: sink.readyMs, idleMiB: readMemory(sink.pid).rssMiB };
  } finally {
    await sink.stop();
  }
}

export function startupScenario(s: Settings): Scenario {
  const partitions = s.startup.partitions;
  const name = `startup ${partitions}p on disk`;
  return {
    name,
    async run(): Promise<Row[]> {
      const first = await KafkaTs.start();
      const dir = first.dir;
      // Whichever broker runs when something fails is killed, so no process outlives the bench.
      let current = first;
      const start = async () => (current = await KafkaTs.start({ dir }));
      try {
        await first.createTopic(TOPIC, partitions);
        const { produce } = await negotiate([first]);
        await touchEveryPartition(first, s, partitions, produce);
        await first.stop({ remove: false });

        const clean: Outcome<Start> = { values: [] };
        const sink: Outcome<Start> = { values: [] };
        for (let round = 0; round < s.rounds; round++) {
          const broker = await start();
          const readyMs = broker.readyMs;
          await sleep(SETTLE_MS);
          clean.values.push({ readyMs, idleMiB: readMemory(broker.pid).rssMiB });
          await broker.stop({ remove: false });
          sink.values.push(await nullSinkStart());
        }

        // Each start after a kill -9 of a broker that had just been written to.
        const killed: Outcome<Start> = { values: [] };
        for (let round = 0; round < s.rounds; round++) {
          const broker = await start();
          if (round > 0) killed.values.push({ readyMs: broker.readyMs, idleMiB: NaN });
          await touchEveryPartition(broker, s, partitions, produce);
          await broker.kill();
        }
        const recovered = await start();
        killed.values.push({ readyMs: recovered.readyMs, idleMiB: NaN });
        await recovered.stop({ remove: false });

        const afterClean = new Map<ServerKind, Outcome<Start>>([['kafka-ts', clean], ['null-sink', sink]]);
        const afterKill = new Map<ServerKind, Outcome<Start>>([['kafka-ts', killed], ['null-sink', sink]]);
        return [
          rowOf(name, 'ms to listen, after clean shutdown', afterClean, (r) => r.readyMs, { max: 300 }),
          rowOf(name, 'ms to listen, after kill -9', afterKill, (r) => r.readyMs),
          rowOf(name, 'idle RSS MiB', afterClean, (r) => r.idleMiB),
        ];
      } finally {
        await current.kill();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
