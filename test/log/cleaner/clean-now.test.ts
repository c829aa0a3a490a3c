// Compaction on demand (LogCleaner.cleanNow): compacted logs cleaned at once although their dirty
// ratio and min.compaction.lag.ms say not yet, never past the active segment, delete-only logs left
// alone, and a second call with nothing new to clean cleaning nothing.
import { LogCleaner, DEFAULT_CLEANER_CONFIG } from '../../../src/log/cleaner/log-cleaner';
import { LogConfig } from '../../../src/log/log-config';
import { PartitionLog } from '../../../src/log/partition-log';
import { silentLogger } from '../../../src/logger';
import { FakeClock } from '../../helpers/fake-clock';
import { makeTempDir, removeDir } from '../helpers';
import { T0, compactConfig, put, readAll } from './helpers';

let tmp: string;
let opened: PartitionLog[] = [];
let clock: FakeClock;

beforeEach(() => {
  tmp = makeTempDir();
  clock = new FakeClock(T0);
});
afterEach(() => {
  for (const l of opened) l.close();
  opened = [];
  removeDir(tmp);
});

function createLog(topic: string, overrides: Partial<LogConfig> = {}): PartitionLog {
  const l = PartitionLog.create({ logDir: tmp, topic, partition: 0, config: compactConfig(overrides), now: clock.now(), clock });
  opened.push(l);
  return l;
}

/** Three rounds over two keys, rolled so they are in a closed segment, then one more in the active one. */
function writeRounds(log: PartitionLog): void {
  for (let round = 0; round < 3; round++) for (const key of ['a', 'b']) put(log, key, `${key}${round}`, clock.now());
  log.roll(clock.now());
  put(log, 'a', 'active', clock.now());
}

test('cleans compacted logs now whatever their dirty ratio and compaction lag, never the active segment', async () => {
  const log = createLog('cmp', { minCleanableDirtyRatio: 0.99, minCompactionLagMs: 3_600_000 });
  const deleting = createLog('del', { cleanupPolicy: ['delete'] });
  writeRounds(log);
  writeRounds(deleting);
  const cleaner = new LogCleaner(DEFAULT_CLEANER_CONFIG, () => [log, deleting], clock, silentLogger);
  // The schedule would not clean it: below the ratio and younger than the lag.
  expect(await cleaner.cleanFilthiestLog()).toBeNull();

  expect(await cleaner.cleanNow()).toBe(1);
  expect((await readAll(log)).map((r) => `${r.offset}:${r.value}`)).toEqual(['4:a2', '5:b2', '6:active']);
  expect(await readAll(deleting)).toHaveLength(7);
  expect(await cleaner.cleanNow()).toBe(0);
});
