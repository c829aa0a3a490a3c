// Crash safety of the cleaner's swap: a cleaning in a child process is SIGKILLed at a seeded file
// operation; reopening the log (as after an unclean shutdown) must complete or discard the swap as
// Kafka's LogLoader does, leaving no .cleaned or .swap file and the same latest value for every key.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PartitionLog } from '../../../src/log/partition-log';
import { makeTempDir, removeDir } from '../helpers';
import { T0, compactConfig, latestValues, put, readAll } from './helpers';

const CHILD = path.join(__dirname, 'kill-child.js');
const SEEDS = 24;

let tmp: string;
beforeAll(() => {
  tmp = makeTempDir();
});
afterAll(() => removeDir(tmp));

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A log of many small segments full of overwritten keys, closed cleanly. */
function buildTemplate(dir: string): Map<string, string> {
  const log = PartitionLog.create({ logDir: dir, topic: 'kill', partition: 0, config: compactConfig(), now: T0 });
  const expected = new Map<string, string>();
  for (let i = 0; i < 400; i++) {
    const key = `k${(i * 7) % 23}`;
    const value = i % 37 === 5 ? null : `v${i}`;
    put(log, key, value, T0 + i);
    if (value === null) expected.delete(key);
    else expected.set(key, value);
  }
  log.roll(T0 + 400);
  log.close();
  return expected;
}

function runChild(dir: string, killAt: number): { status: number | null; signal: NodeJS.Signals | null; stdout: string } {
  const r = spawnSync(process.execPath, [CHILD, dir, String(killAt)], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout };
}

test(`a cleaning killed at ${SEEDS} seeded file operations recovers to the same latest values`, async () => {
  const template = path.join(tmp, 'template');
  const expected = buildTemplate(template);
  const dry = path.join(tmp, 'dry');
  fs.cpSync(template, dry, { recursive: true });
  const full = runChild(dry, -1);
  expect(full.status).toBe(0);
  const total = JSON.parse(full.stdout).ops as number;
  expect(total).toBeGreaterThan(20);

  const killedAt: number[] = [];
  let sawSwap = 0;
  let sawCleaned = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const dir = path.join(tmp, `seed-${seed}`);
    fs.cpSync(template, dir, { recursive: true });
    const killAt = 1 + Math.floor(mulberry32(seed)() * total);
    const r = runChild(dir, killAt);
    expect(r.signal).toBe('SIGKILL');
    killedAt.push(killAt);
    const before = fs.readdirSync(path.join(dir, 'kill-0'));
    if (before.some((n) => n.endsWith('.swap'))) sawSwap++;
    if (before.some((n) => n.endsWith('.cleaned'))) sawCleaned++;

    const log = PartitionLog.open({ logDir: dir, topic: 'kill', partition: 0, config: compactConfig(), now: T0, hadCleanShutdown: false, recoveryPointCheckpoint: 0 });
    try {
      const partDir = path.join(dir, 'kill-0');
      const leftovers = fs.readdirSync(partDir).filter((n) => n.endsWith('.cleaned') || n.endsWith('.swap'));
      expect({ seed, killAt, leftovers }).toEqual({ seed, killAt, leftovers: [] });
      expect({ seed, killAt, values: latestValues(await readAll(log)) }).toEqual({ seed, killAt, values: expected });
      expect(log.logEndOffset).toBe(400);
    } finally {
      log.close();
    }
  }
  // The seeds spread over the whole cleaning, the swap included (its renames are the last operations).
  expect(Math.max(...killedAt)).toBeGreaterThan(total * 0.7);
  // Some kills left a cleaning half written and some a swap half done, so both recovery paths ran.
  expect(sawCleaned).toBeGreaterThan(0);
  expect(sawSwap).toBeGreaterThan(0);
}, 180_000);
