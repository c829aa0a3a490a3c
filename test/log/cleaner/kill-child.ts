// Child process of the cleaner kill test: cleans the log in argv[2] and SIGKILLs itself at the file
// operation numbered argv[3] (renames, writes, syncs, deletions, creations), or with -1 reports how many
// file operations a whole cleaning takes.
import * as fs from 'node:fs';
import { DEFAULT_CLEANER_CONFIG, LogCleaner } from '../../../src/log/cleaner/log-cleaner';
import { PartitionLog } from '../../../src/log/partition-log';
import { realClock } from '../../../src/clock';
import { silentLogger } from '../../../src/logger';
import { compactConfig } from './helpers';

const [logDir, killAtArg] = process.argv.slice(2);
const killAt = Number(killAtArg);
let ops = 0;
// The module object itself: the namespace import above only has getters that read from it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fsModule = require('node:fs') as Record<string, unknown>;

function counted<T extends (...args: never[]) => unknown>(name: keyof typeof fs, fn: T): void {
  fsModule[name] = (...args: Parameters<T>) => {
    if (++ops === killAt) process.kill(process.pid, 'SIGKILL');
    return fn(...args);
  };
}

async function main(): Promise<void> {
  const log = PartitionLog.open({ logDir, topic: 'kill', partition: 0, config: compactConfig(), now: Date.now(), hadCleanShutdown: true });
  for (const name of ['renameSync', 'writeSync', 'writevSync', 'fsyncSync', 'rmSync', 'writeFileSync', 'appendFileSync', 'utimesSync', 'ftruncateSync'] as const) {
    counted(name, fs[name] as never);
  }
  const cleaner = new LogCleaner({ ...DEFAULT_CLEANER_CONFIG }, () => [log], realClock, silentLogger);
  const result = await cleaner.cleanFilthiestLog();
  process.stdout.write(JSON.stringify({ ops, endOffset: result?.endOffset ?? null }));
  process.exit(0);
}

void main();
