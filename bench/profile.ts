// `node dist/bench/profile.js`: profiles the kafka-ts broker process (node --cpu-prof) under the
// produce load, then under catch-up fetches, and prints each profile's top functions by self time.
// The .cpuprofile files stay in a temp dir for Chrome DevTools. PROFILE_SECONDS sets each load's
// length (default 10).

import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { consumeLoad } from './load/consume';
import { produceLoad } from './load/produce';
import { EARLIEST, LATEST, listOffsets } from './net/admin';
import { openConnection } from './net/connection';
import { Versions, negotiate } from './negotiate';
import { CallFrame, hotspotTable, summarise } from './profile/cpu-profile';
import { KafkaTs } from './servers/kafka-ts';
import { loadSettings } from './settings';

const TOPIC = 'profile';
const PARTITIONS = 8;
const PRODUCE_RECORD_BYTES = 100;
const FETCH_RECORD_BYTES = 1024;
const FETCH_MIB = 256;

function profilerArgs(dir: string): string[] {
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}

/** The clean shutdown flushes every log; that is not the load's cost. */
function isShutdown(frame: CallFrame): boolean {
  return frame.functionName === 'shutdown' && frame.url.endsWith('/src/broker.js');
}

function report(title: string, dir: string): void {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${dir}`);
  const summary = summarise(join(dir, file), isShutdown);
  const busy = (100 * summary.busyMs) / (summary.busyMs + summary.idleMs);
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `\n## ${title}: ${seconds(summary.busyMs)} busy (${busy.toFixed(0)}% of the profile), ` +
      `${seconds(summary.excludedMs)} of shutdown left out\n`,
  );
  console.log(`Self time:\n\n${hotspotTable(summary.top, 'self')}`);
  console.log(`\nCharged to the innermost kafka-ts function on the stack:\n\n${hotspotTable(summary.ownCode.slice(0, 15), 'total')}`);
  console.log(`\nprofile: ${join(dir, file)}`);
}

async function profileProduce(root: string, seconds: number): Promise<void> {
  const s = loadSettings();
  const dir = join(root, 'produce');
  const broker = await KafkaTs.start({ nodeArgs: profilerArgs(dir) });
  try {
    await broker.createTopic(TOPIC, PARTITIONS);
    const { produce } = await negotiate([broker]);
    const t = await produceLoad(broker, {
      ...s.produce,
      topic: TOPIC,
      partitions: PARTITIONS,
      recordBytes: PRODUCE_RECORD_BYTES,
      acks: 1,
      produceVersion: produce,
      warmupMs: 0,
      durationMs: seconds * 1000,
    });
    console.log(`produce ${PRODUCE_RECORD_BYTES} B × ${PARTITIONS}p acks=1: ${t.mbPerSec.toFixed(1)} MB/s under the profiler`);
  } finally {
    await broker.stop();
  }
  report(`produce ${PRODUCE_RECORD_BYTES} B records, ${PARTITIONS} partitions, acks=1`, dir);
}

async function profileFetch(root: string, seconds: number): Promise<void> {
  const s = loadSettings();
  const loader = await KafkaTs.start();
  let versions: Versions;
  try {
    versions = await negotiate([loader]);
    await loader.createTopic(TOPIC, PARTITIONS);
    await produceLoad(loader, {
      ...s.produce,
      topic: TOPIC,
      partitions: PARTITIONS,
      recordBytes: FETCH_RECORD_BYTES,
      batchBytes: 256 * 1024,
      acks: 1,
      produceVersion: versions.produce,
      totalBytes: FETCH_MIB * 1024 * 1024,
    });
  } finally {
    await loader.stop({ remove: false });
  }

  const dir = join(root, 'fetch');
  const broker = await KafkaTs.start({ dir: loader.dir, nodeArgs: profilerArgs(dir) });
  try {
    const conn = await openConnection(broker.host, broker.port);
    const from = await listOffsets(conn, versions.listOffsets, TOPIC, PARTITIONS, EARLIEST);
    const to = await listOffsets(conn, versions.listOffsets, TOPIC, PARTITIONS, LATEST);
    conn.close();
    const until = performance.now() + seconds * 1000;
    let passes = 0;
    let mb = 0;
    while (performance.now() < until) {
      const t = await consumeLoad(broker, { topic: TOPIC, recordBytes: FETCH_RECORD_BYTES, fetchVersion: versions.fetch, from, to });
      passes++;
      mb += t.mbPerSec;
    }
    console.log(`fetch catch-up of ${FETCH_MIB} MiB: ${(mb / passes).toFixed(1)} MB/s under the profiler (${passes} passes)`);
  } finally {
    await broker.stop();
  }
  report(`catch-up fetch of ${FETCH_MIB} MiB, ${FETCH_RECORD_BYTES} B records, ${PARTITIONS} partitions`, dir);
}

async function main(): Promise<void> {
  const seconds = Number(process.env.PROFILE_SECONDS ?? 10);
  const root = mkdtempSync(join(tmpdir(), 'kafka-ts-profile-'));
  await profileProduce(root, seconds);
  await profileFetch(root, seconds);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
